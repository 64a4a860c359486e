import type { Secrets } from '../ports/secrets';

/** Secrets from environment variables: the local runtime's adapter. Nothing is cached, so a re-read finds the same value. */
export class EnvSecrets implements Secrets {
  constructor(private readonly env: Readonly<Record<string, string | undefined>>) {}

  async get(name: string): Promise<string | undefined> {
    const value = this.env[name];
    return value ? value : undefined;
  }

  reread(name: string): Promise<string | undefined> {
    return this.get(name);
  }
}
