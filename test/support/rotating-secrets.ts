import type { Secrets } from '../../functions/ports/secrets';

/**
 * A container's view of a secret store during a rotation: `get` answers from the container's
 * cache (what it read earlier), `reread` reads the store past it. `rotate` changes the store
 * only, as `put-secret-value` does under a running container; `rereads` counts the calls that
 * would reach Secrets Manager.
 */
export class RotatingSecrets implements Secrets {
  private readonly cached: Map<string, string>;
  private readonly stored: Map<string, string>;
  rereads = 0;

  constructor(values: Record<string, string>) {
    this.cached = new Map(Object.entries(values));
    this.stored = new Map(Object.entries(values));
  }

  rotate(name: string, value: string): void {
    this.stored.set(name, value);
  }

  async get(name: string): Promise<string | undefined> {
    return this.cached.get(name) || undefined;
  }

  async reread(name: string): Promise<string | undefined> {
    this.rereads += 1;
    const value = this.stored.get(name);
    if (value === undefined) this.cached.delete(name);
    else this.cached.set(name, value);
    return value || undefined;
  }
}
