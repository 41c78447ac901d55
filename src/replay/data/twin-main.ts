/** Entry of the twin's worker bundle (dist/twin/index.js, started by parallel.ts). */
import { workerData } from 'node:worker_threads';
import { runTwinWorker, type TwinWorkerData } from './twin-worker.js';

await runTwinWorker(workerData as TwinWorkerData);
