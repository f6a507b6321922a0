// The widget module: the canvas and the summary that reads its records.
export { CardCanvasModel, CardCanvasView } from './canvas';
export { CardSummaryModel, CardSummaryView } from './summary';
