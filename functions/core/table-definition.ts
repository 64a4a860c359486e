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
} as const;

export const DEFAULT_TABLE_NAME = 'exec-eng-lead';
