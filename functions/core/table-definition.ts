/**
 * The single DynamoDB table, described once. CDK turns it into a TableV2 and the local
 * runtime into a CreateTable call, so keys and indexes cannot drift between the two.
 */
export const tableDefinition = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; DynamoDB deletes the item after this instant. */
  ttlAttribute: 'expiresAt',
  timeIndex: {
    name: 'byTime',
    /** `DAY#YYYY-MM-DD` bucket so a time-window query touches one partition per day. */
    partitionKey: 'gsi1pk',
    /** `<ISO instant>#<id>`, sortable within the day. */
    sortKey: 'gsi1sk',
  },
  /**
   * Sparse, keys-only index of every record about one job candidate (`<source>:<candidateId>`):
   * what a GDPR erasure (`npm run forget`) finds and deletes. A record joins it by carrying the attribute.
   */
  candidateIndex: {
    name: 'byCandidate',
    partitionKey: 'candidateKey',
  },
} as const;

export const DEFAULT_TABLE_NAME = 'exec-eng-lead';
