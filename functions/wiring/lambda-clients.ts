import { createDocumentClient } from '../adapters/dynamo-client';
import type { TableAccess } from '../adapters/dynamo-records';
import { DynamoStore } from '../adapters/dynamo-store';
import { SecretsManagerSecrets } from '../adapters/secrets-manager-secrets';
import { required } from '../core/env';
import { LambdaEnv } from '../core/lambda-env';
import { lazy } from '../core/once';

/*
 * The secrets and the table, built once per container on first use. Kept apart from the outbox
 * and the writer (lambda-infrastructure.ts) so a function that only reads or records events
 * does not bundle them.
 */

export const lambdaSecrets = /* @__PURE__ */ lazy(() => new SecretsManagerSecrets(process.env));

export const lambdaTable = /* @__PURE__ */ lazy((): TableAccess => ({ db: createDocumentClient(), tableName: required(process.env, LambdaEnv.tableName) }));

export const lambdaStore = /* @__PURE__ */ lazy(() => new DynamoStore(lambdaTable().db, lambdaTable().tableName));
