import { Injectable } from '@nestjs/common';

/** Flipped on SIGTERM so readiness fails at once while in-flight requests drain. */
@Injectable()
export class ShutdownState {
  private draining = false;

  begin(): void {
    this.draining = true;
  }

  get isDraining(): boolean {
    return this.draining;
  }
}
