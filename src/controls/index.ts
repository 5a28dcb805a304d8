// Run-time controls: the source contract the middleware reads (disabled, pinned, coverage) and controls held in memory.
export type { ControlsSource } from './controls.js';
export type { ControlsView, SetControl } from '../engine/controlled-set.js';
export { MemoryControls } from './memory-controls.js';
export type { MemoryControlsOptions } from './memory-controls.js';
