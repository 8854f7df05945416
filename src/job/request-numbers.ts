// A REQ's `parent` is the position of an earlier REQ of the job. The command counts every REQ it wrote; the platform
// counts those it received. The two differ once a REQ could not be sent, and every later `parent` would name the
// wrong request: this maps the command's positions onto the platform's.

export class RequestNumbers {
  // REQs the command wrote, sent or not.
  private written = 0;
  // The command's positions of those not sent, ascending; almost always none, so nothing per request is kept.
  private readonly lost: number[] = [];

  sent(): void {
    this.written++;
  }

  notSent(): void {
    this.lost.push(this.written++);
  }

  // The platform's position of the command's request `parent`, or null when that request was not sent or is not
  // an earlier one.
  map(parent: number): number | null {
    if (parent >= this.written) return null;
    // How many lost requests come before it (binary search: `lost` is ascending).
    let low = 0;
    let high = this.lost.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.lost[middle] as number) < parent) low = middle + 1;
      else high = middle;
    }
    return this.lost[low] === parent ? null : parent - low;
  }
}
