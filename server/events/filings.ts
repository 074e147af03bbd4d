// In-process notice that a filing landed: the lookup index and the tile cache rebuild from it. Replicas hear the
// same through PostgreSQL NOTIFY wangge_filing, sent in the filing transaction and heard in lookup/lookup-service.ts.
import { inProcessEvent } from './inProcess.ts';

export interface FilingLanded {
  number: string;
  townshipCode: string;
}

const filingLanded = inProcessEvent<FilingLanded>();

export const onFilingLanded = filingLanded.on;
export const announceFilingLanded = filingLanded.announce;
