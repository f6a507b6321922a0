"""Valid values of ports, for tests that need every card with non-default parameters."""

from nncards_widget.catalog.spec import BOOLEAN, FLOAT, INTEGER, PortSpec


def other_value(port: PortSpec):
    """A valid value of `port` that differs from its default."""
    if port.choices is not None:
        return next(value for value in port.choice_values() if value != port.default)
    if port.type == BOOLEAN:
        return not port.default
    if port.type == INTEGER:
        low = int(port.minimum) if port.minimum is not None else 0
        if port.is_list:
            count = port.lengths[0] if port.lengths else max(len(port.default), 1)
            values = tuple(low + 2 + index for index in range(count))
            # A None entry, where the port takes one, checks that it survives as None.
            return (None, *values[1:]) if port.none_entries else values
        return low + 2 if port.default != low + 2 else low + 3
    if port.type == FLOAT and port.is_list:
        count = port.lengths[-1] if port.lengths else max(len(port.default), 2)
        low = port.minimum if port.minimum is not None else 0.0
        return tuple(low + 0.25 * (index + 1) for index in range(count))
    if port.type == FLOAT:
        low = port.minimum if port.minimum is not None else 0.0
        high = port.maximum if port.maximum is not None else low + 1.0
        value = low + (high - low) * 0.375
        return value if value != port.default else low + (high - low) * 0.625
    return "renamed"
