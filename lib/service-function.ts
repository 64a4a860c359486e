import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { LAZY_MODULES, lazyModuleCommands } from './lazy-modules';

/** Repository root: esbuild's project root and the base of every entry path. */
export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Settings both the function bundles and the lazy packages beside them are built with. */
const BUNDLE_SETTINGS = { minify: true, sourceMap: true, target: 'node24' } as const;

/**
 * How every function is bundled (NodejsFunction's options; `npm run bench` builds with the same):
 * minified CJS for node24 with source maps, the AWS SDK clients we use bundled and tree-shaken
 * (the runtime's own SDK copy changes under a deployed function and is loaded whole), and the
 * SDK's default credential chain replaced by the environment credentials Lambda provides
 * (functions/adapters/lambda-credentials.ts). The packages in LAZY_MODULES are bundled apart,
 * beside the function, and loaded at their first call (lib/lazy-modules.ts).
 */
export const LAMBDA_BUNDLING = {
  ...BUNDLE_SETTINGS,
  bundleAwsSDK: true,
  format: OutputFormat.CJS,
  esbuildArgs: { '--alias:@aws-sdk/credential-provider-node': path.join(REPO_ROOT, 'functions/adapters/lambda-credentials.ts') },
  externalModules: [...LAZY_MODULES],
  commandHooks: {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (inputDir: string, outputDir: string) => lazyModuleCommands(inputDir, outputDir, path.posix.join(outputDir, 'index.js'), LAZY_MODULE_FLAGS),
  },
};

/** The esbuild flags a lazy package is bundled with: those of the function bundles (BUNDLE_SETTINGS), as NodejsFunction passes them. */
export const LAZY_MODULE_FLAGS = [
  '--platform=node',
  `--target=${BUNDLE_SETTINGS.target}`,
  '--format=cjs',
  ...(BUNDLE_SETTINGS.minify ? ['--minify'] : []),
  ...(BUNDLE_SETTINGS.sourceMap ? ['--sourcemap'] : []),
  '--main-fields=module,main',
];

/** What the service stack hands a construct that adds functions of its own (the outbox sweeper, the escalation worker). */
export interface StackPieceProps {
  table: ITableV2;
  logRetention: RetentionDays;
  secret: (name: string) => ISecret;
  /** Makes a failure queue kept with the stack's others (and so alarmed). */
  failureQueue: (id: string) => Queue;
}

export interface ServiceFunctionProps {
  /** Handler file relative to the repo root; it must export `handler`. */
  entry: string;
  description: string;
  /** How long one invocation may run; justify it where the function is declared. */
  timeout: Duration;
  /**
   * MB; Lambda allots CPU in proportion, which matters for cold start (module load and parse)
   * more than for the work itself. Default 512: a 1-2 MB minified bundle starts in well under a
   * second and none of these functions holds more than a few MB of data.
   */
  memorySize?: number;
  logRetention: RetentionDays;
  environment: Record<string, string>;
}

/**
 * A Node.js Lambda with the house settings: latest runtime on ARM, local esbuild bundling,
 * its own log group, and a role that may write to that log group only (no managed policy).
 */
export class ServiceFunction extends Construct {
  readonly fn: NodejsFunction;
  /** The handler file, relative to the repo root (what `npm run bench` bundles and starts). */
  readonly entry: string;
  readonly logGroup: LogGroup;
  readonly role: Role;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    this.entry = props.entry;
    this.logGroup = new LogGroup(this, 'LogGroup', { retention: props.logRetention });
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${id}`,
    });
    this.logGroup.grantWrite(this.role);

    this.fn = new NodejsFunction(this, 'Function', {
      entry: path.join(REPO_ROOT, props.entry),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: path.join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      description: props.description,
      role: this.role,
      logGroup: this.logGroup,
      // Source maps ship beside each bundle but are not enabled: Node would read and parse them at
      // every cold start (about 0.7x an empty Node process for a 350 KB bundle, issue 21). To see
      // source positions while investigating, set NODE_OPTIONS=--enable-source-maps on the function.
      environment: props.environment,
      bundling: LAMBDA_BUNDLING,
    });
  }
}
