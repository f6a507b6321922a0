// Registers the canvas widget module with the Jupyter widget manager (JupyterLab 4, Notebook 7).
import { IJupyterWidgetRegistry } from '@jupyter-widgets/base';
import { MODULE_NAME, MODULE_VERSION } from './version';

export default {
  id: 'nncards-widget:plugin',
  requires: [IJupyterWidgetRegistry],
  autoStart: true,
  activate: (app, registry) => {
    registry.registerWidget({
      name: MODULE_NAME,
      version: MODULE_VERSION,
      exports: () => import('./index'),
    });
  },
};
