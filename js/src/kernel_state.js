// Whether the kernel holding this editor's graph can still take its edits, shown on the editor.
//
// Every edit on the canvas is a message to Python: with the kernel dead, restarting or out of
// reach, it would be lost without a word. So a banner over the canvas says so, and the view
// does not send an edit then; a click tried while it shows makes it flash. A kernel that
// restarted has lost the graph this canvas showed: the banner stays, saying to run the cell again.

// Kernel statuses after which this editor's graph is gone from the kernel.
const LOST = new Set(['dead', 'restarting', 'autorestarting', 'terminating']);

const WORDS = {
  dead: 'The kernel has died: edits on this canvas cannot reach Python. Restart the kernel and run the cell again.',
  restarting: 'The kernel is restarting: this editor lost its graph. Run the cell again to edit it.',
  autorestarting: 'The kernel died and is restarting: this editor lost its graph. Run the cell again to edit it.',
  terminating: 'The kernel is shutting down: edits on this canvas cannot reach Python.',
  disconnected: 'The connection to the kernel is lost: edits are not sent until it is back.',
  closed: 'This editor is closed in the kernel: run its cell again to edit the graph.',
};

export class KernelState {
  // view: the canvas view (its model and element).
  constructor(view, parent) {
    this.view = view;
    this.lost = null; // why edits cannot be sent for good
    this.unreachable = false; // the connection is down for now
    this.banner = document.createElement('div');
    this.banner.className = 'nncards-kernel-banner';
    this.banner.setAttribute('role', 'alert');
    parent.appendChild(this.banner);
    this.kernel = view.model.widget_manager?.kernel || view.model.comm?.kernel || null;
    if (this.kernel) {
      this.kernel.statusChanged.connect(this.onStatus, this);
      this.kernel.connectionStatusChanged.connect(this.onConnection, this);
    }
    view.listenTo(view.model, 'comm_live_update', () => this.show());
    this.show();
  }

  dispose() {
    if (this.kernel) {
      this.kernel.statusChanged.disconnect(this.onStatus, this);
      this.kernel.connectionStatusChanged.disconnect(this.onConnection, this);
    }
  }

  get live() {
    return this.why() === null;
  }

  why() {
    if (this.lost) {
      return this.lost;
    }
    if (this.unreachable) {
      return 'disconnected';
    }
    return this.view.model.comm_live === false ? 'closed' : null;
  }

  onStatus(_kernel, status) {
    if (LOST.has(status) && !this.lost) {
      this.lost = status;
    } else if (status === 'dead') {
      this.lost = 'dead';
    }
    this.show();
  }

  onConnection(_kernel, status) {
    this.unreachable = status !== 'connected';
    this.show();
  }

  show() {
    const why = this.why();
    this.banner.textContent = why ? WORDS[why] : '';
    this.banner.classList.toggle('shown', why !== null);
    this.view.el.dataset.kernel = why || 'live';
  }

  // An edit was tried while it cannot be sent: make the banner noticed.
  refuse() {
    this.banner.classList.remove('flash');
    // Read the layout so that the animation starts again.
    void this.banner.offsetWidth;
    this.banner.classList.add('flash');
    this.view.el.dataset.refusedEdits = String(Number(this.view.el.dataset.refusedEdits || 0) + 1);
  }
}
