import { Store } from './store';

export interface UpdateState {
  /** A new version of the app is installed and waiting: the shell offers "reload". */
  waiting: boolean;
}

/** "A new version is available — reload" after a deploy (the service worker found new files). */
export class UpdateStore extends Store<UpdateState> {
  #apply: (() => Promise<void>) | null = null;

  constructor() {
    super({ waiting: false });
  }

  /** The service worker has a new version; `apply` activates it and reloads. */
  available(apply: () => Promise<void>): void {
    this.#apply = apply;
    this.setState({ waiting: true });
  }

  async reload(): Promise<void> {
    this.setState({ waiting: false });
    await this.#apply?.();
  }
}
