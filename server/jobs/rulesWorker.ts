// Worker-thread entry: rules reports and filing continuity off the main event loop, one per message (see rules.ts).
import { computeRulesTask, type RulesTask } from './rules.ts';
import { serveTasks } from './thread.ts';

serveTasks<RulesTask, Awaited<ReturnType<typeof computeRulesTask>>>(computeRulesTask);
