package dev.regula.nn;

import org.jspecify.annotations.Nullable;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * A fixed team of threads that runs the parts of one task at a time: part 0 on the calling thread, parts
 * 1 … size − 1 on daemon workers. It is the engine's only source of parallelism — matrix products and the
 * element-wise passes of a training step are split over the same team, so no second thread pool spins beside it
 * (native OpenBLAS runs single-threaded inside each part).
 * <p>
 * Workers spin briefly between tasks (a training step hands out a task every few hundred microseconds) and park
 * when idle. Which part does what is fixed by the part index, never by timing, so results are deterministic for a
 * given team size. A task submitted while the team is busy — from another thread or from inside a part — runs
 * all its parts on the calling thread, with the same results.
 */
public final class ThreadTeam {
    /** How long an idle worker spins before parking, in nanoseconds. */
    private static final long SPIN_NANOS = 200_000;
    /**
     * How long the caller spins for the other parts before yielding its core, in nanoseconds: long enough for the
     * parts of a balanced task to finish, short enough that on a loaded machine a descheduled worker gets the core
     * back instead of the caller spinning out its time slice.
     */
    private static final long CALLER_SPIN_NANOS = 50_000;

    /** One part of a task. */
    @FunctionalInterface
    public interface Part {
        /**
         * Runs one part.
         * @param part the part index, in {@code [0, size)}.
         */
        void run(int part);
    }

    private final int size;
    private final Thread[] workers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<@Nullable Throwable> failure = new AtomicReference<>();
    private final boolean[] parkedFlags;
    private volatile long generation;
    private volatile @Nullable Part task;

    /**
     * Creates a team and starts its workers.
     * @param size the number of parts each task is split into (threads including the caller), at least 1.
     */
    public ThreadTeam(int size) {
        if (size < 1) {
            throw new IllegalArgumentException("A thread team needs at least 1 thread, found " + size);
        }
        this.size = size;
        this.workers = new Thread[size - 1];
        this.parkedFlags = new boolean[size];
        for (int i = 1; i < size; i++) {
            int id = i;
            Thread t = new Thread(() -> work(id), "regula-team-" + size + "-" + i);
            t.setDaemon(true);
            workers[i - 1] = t;
            t.start();
        }
    }

    /** @return the number of parts (threads, including the caller). */
    public int size() {
        return size;
    }

    /**
     * Runs {@code task.run(p)} for every part p and returns when all have finished. An exception thrown by a part
     * is rethrown here once every part has finished.
     * @param part the task.
     */
    public void run(Part part) {
        if (size == 1 || !busy.compareAndSet(false, true)) {
            for (int p = 0; p < size; p++) {
                part.run(p);
            }
            return;
        }
        try {
            failure.set(null);
            pending.set(size - 1);
            task = part;
            generation = generation + 1;
            for (int i = 1; i < size; i++) {
                if (isParked(i)) {
                    LockSupport.unpark(workers[i - 1]);
                }
            }
            try {
                part.run(0);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
            awaitParts();
            Throwable f = failure.get();
            if (f instanceof RuntimeException) {
                throw (RuntimeException) f;
            } else if (f != null) {
                throw (Error) f;
            }
        } finally {
            task = null;
            busy.set(false);
        }
    }

    /** Waits until every worker has finished its part: spins briefly, then yields between checks. */
    private void awaitParts() {
        long spinUntil = 0;
        int spins = 0;
        while (pending.get() > 0) {
            if ((++spins & 63) != 0) {
                Thread.onSpinWait();
            } else if (spinUntil == 0) {
                spinUntil = System.nanoTime() + CALLER_SPIN_NANOS;
            } else if (System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
    }

    /**
     * The start of a part's share of {@code n} items split into {@code parts} contiguous blocks whose boundaries are
     * multiples of {@code align} (part p covers {@code [start(p), start(p + 1))}).
     * @param part the part index, in {@code [0, parts]}.
     * @param parts the number of parts.
     * @param n the number of items.
     * @param align the alignment of block boundaries, at least 1.
     * @return the first item of the part ({@code n} for {@code part == parts}).
     */
    public static int start(int part, int parts, int n, int align) {
        int block = ((n + parts - 1) / parts + align - 1) / align * align;
        return (int) Math.min(n, (long) part * block);
    }

    private void work(int id) {
        long seen = 0;
        while (true) {
            seen = awaitTask(id, seen);
            Part current = task;
            try {
                if (current == null) { // cannot happen: run() sets the task before the generation, clears it after all parts
                    throw new IllegalStateException("Thread team worker " + id + " woke without a task");
                }
                current.run(id);
            } catch (RuntimeException | Error e) {
                failure.compareAndSet(null, e);
            }
            pending.decrementAndGet();
        }
    }

    /** Spins, then parks, until a task newer than {@code seen} is posted; returns its generation. */
    private long awaitTask(int id, long seen) {
        long spinUntil = System.nanoTime() + SPIN_NANOS;
        int spins = 0;
        while (true) {
            long g = generation;
            if (g != seen) {
                return g;
            }
            if ((++spins & 63) != 0 || System.nanoTime() < spinUntil) {
                Thread.onSpinWait();
                continue;
            }
            setParked(id, true);
            if (generation == seen) {
                LockSupport.park(this);
                Thread.interrupted(); // workers are never interrupted on purpose; a stray interrupt must not spin
            }
            setParked(id, false);
        }
    }

    private boolean isParked(int id) {
        synchronized (parkedFlags) {
            return parkedFlags[id];
        }
    }

    private void setParked(int id, boolean parked) {
        synchronized (parkedFlags) {
            parkedFlags[id] = parked;
        }
    }
}
