// Worker-thread entry: suggestions off the main event loop, one per message (see TaskThread). The thread stays for
// the next suggestion.
import { computeSuggestion, type SuggestOutcome, type SuggestProgress } from './suggest.ts';
import { serveTasks, type SuggestionTask } from './thread.ts';

serveTasks<SuggestionTask, SuggestOutcome, Parameters<SuggestProgress>[0]>(computeSuggestion);
