// Worker-thread entry: imported files read off the main event loop, one per message (see TaskThread).
import { readImportFile, type ImportTask } from './imports.ts';
import type { PlacedImport } from '../domain/plans/import.ts';
import { serveTasks } from './thread.ts';

serveTasks<ImportTask, PlacedImport>(readImportFile);
