/** Recall@k moved to `@squash/datasets`; this module keeps the name tests import. */
export type { RecallAtKArgs } from '@squash/datasets';
export { recallAtK } from '@squash/datasets';
