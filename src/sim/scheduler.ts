// Timers on the simulated clock: a min-heap of due times, run in time order (then in the order they were set) by
// `runDue(now)`. Only containers that are about to change have a timer, so 50,000 healthy pods cost nothing here.

interface Timer {
  at: number;
  seq: number;
  run: (at: number) => void;
}

export class Scheduler {
  private readonly heap: Timer[] = [];
  private seq = 0;

  at(time: number, run: (at: number) => void): void {
    this.heap.push({ at: time, seq: this.seq++, run });
    this.up(this.heap.length - 1);
  }

  /** Runs every timer due at or before `now`, including ones that due timers set. */
  runDue(now: number): void {
    while (this.heap.length > 0 && this.heap[0]!.at <= now) {
      const timer = this.pop();
      timer.run(timer.at);
    }
  }

  private before(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private pop(): Timer {
    const top = this.heap[0]!;
    const last = this.heap.pop()!;
    if (this.heap.length > 0) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(index: number): void {
    const heap = this.heap;
    let i = index;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(heap[i]!, heap[parent]!)) break;
      [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
      i = parent;
    }
  }

  private down(index: number): void {
    const heap = this.heap;
    let i = index;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && this.before(heap[left]!, heap[smallest]!)) smallest = left;
      if (right < heap.length && this.before(heap[right]!, heap[smallest]!)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest]!, heap[i]!];
      i = smallest;
    }
  }
}
