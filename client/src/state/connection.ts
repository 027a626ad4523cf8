import { Store } from './store';

export interface ConnectionState {
  /** null: no live connection wanted (signed out); true/false: connected or trying. */
  live: boolean | null;
}

/** Whether live updates are flowing, for the indicator in the top bar. */
export class ConnectionStore extends Store<ConnectionState> {
  constructor() {
    super({ live: null });
  }

  set(live: boolean | null): void {
    if (live !== this.state.live) this.setState({ live });
  }
}
