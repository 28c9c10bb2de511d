/**
 * Python's `heapq` (push, pop, heapify) over a plain array, so the double's `/queue` lists pending prompts in
 * the same (heap, not sorted) order as ComfyUI's `PromptQueue`. Algorithm of CPython `Lib/heapq.py`.
 */

/** Orders two items: negative when `a` sorts first. */
export type Compare<T> = (a: T, b: T) => number;

function siftDown<T>(heap: T[], startPos: number, pos: number, compare: Compare<T>): void {
  const item = heap[pos];
  while (pos > startPos) {
    const parentPos = (pos - 1) >> 1;
    const parent = heap[parentPos];
    if (compare(item, parent) < 0) {
      heap[pos] = parent;
      pos = parentPos;
      continue;
    }
    break;
  }
  heap[pos] = item;
}

function siftUp<T>(heap: T[], pos: number, compare: Compare<T>): void {
  const endPos = heap.length;
  const startPos = pos;
  const item = heap[pos];
  let childPos = 2 * pos + 1;
  while (childPos < endPos) {
    const rightPos = childPos + 1;
    if (rightPos < endPos && !(compare(heap[childPos], heap[rightPos]) < 0)) childPos = rightPos;
    heap[pos] = heap[childPos];
    pos = childPos;
    childPos = 2 * pos + 1;
  }
  heap[pos] = item;
  siftDown(heap, startPos, pos, compare);
}

/** `heapq.heappush`. */
export function heapPush<T>(heap: T[], item: T, compare: Compare<T>): void {
  heap.push(item);
  siftDown(heap, 0, heap.length - 1, compare);
}

/** `heapq.heappop`; undefined when the heap is empty. */
export function heapPop<T>(heap: T[], compare: Compare<T>): T | undefined {
  const last = heap.pop();
  if (heap.length === 0) return last;
  const top = heap[0];
  heap[0] = last as T;
  siftUp(heap, 0, compare);
  return top;
}

/** `heapq.heapify`, in place. */
export function heapify<T>(heap: T[], compare: Compare<T>): void {
  for (let i = (heap.length >> 1) - 1; i >= 0; i -= 1) siftUp(heap, i, compare);
}
