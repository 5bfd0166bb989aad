package dev.regula.nn;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThreadTeamTest {

    @Test
    void runsEveryPartOnceWithPartZeroOnTheCaller() {
        ThreadTeam team = new ThreadTeam(3);
        for (int round = 0; round < 200; round++) {
            int[] counts = new int[3];
            ConcurrentHashMap<Integer, Thread> threads = new ConcurrentHashMap<>();
            team.run(p -> {
                counts[p]++;
                threads.put(p, Thread.currentThread());
            });
            assertEquals("[1, 1, 1]", java.util.Arrays.toString(counts), "round " + round);
            assertSame(Thread.currentThread(), threads.get(0));
        }
    }

    @Test
    void wakesParkedWorkers() throws InterruptedException {
        ThreadTeam team = new ThreadTeam(2);
        AtomicInteger sum = new AtomicInteger();
        for (int round = 0; round < 3; round++) {
            Thread.sleep(5); // longer than the spin phase: the worker parks
            team.run(sum::addAndGet);
        }
        assertEquals(3, sum.get());
    }

    @Test
    void rethrowsAPartsFailureAfterAllPartsFinish() {
        ThreadTeam team = new ThreadTeam(2);
        AtomicInteger finished = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> team.run(p -> {
            if (p == 1) {
                throw new IllegalStateException("part 1 failed");
            }
            finished.incrementAndGet();
        }));
        assertEquals("part 1 failed", e.getMessage());
        assertEquals(1, finished.get());
        AtomicInteger after = new AtomicInteger();
        team.run(p -> after.incrementAndGet());
        assertEquals(2, after.get(), "the team is usable after a failure");
    }

    @Test
    void nestedAndConcurrentTasksRunOnTheCaller() throws InterruptedException {
        ThreadTeam team = new ThreadTeam(2);
        AtomicInteger inner = new AtomicInteger();
        team.run(p -> team.run(q -> inner.incrementAndGet()));
        assertEquals(4, inner.get());

        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread holder = new Thread(() -> {
            try {
                team.run(p -> {
                    if (p == 0) {
                        inside.countDown();
                        try {
                            release.await();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                });
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        holder.start();
        inside.await();
        int[] seenBy = new int[2];
        Thread me = Thread.currentThread();
        team.run(p -> seenBy[p] = Thread.currentThread() == me ? 1 : 0); // the team is busy: both parts run here
        assertEquals("[1, 1]", java.util.Arrays.toString(seenBy));
        release.countDown();
        holder.join();
        assertNull(failure.get());
    }

    @Test
    void partitionsCoverAlignedAndInOrder() {
        for (int parts = 1; parts <= 4; parts++) {
            for (int n : new int[]{0, 1, 7, 16, 30, 500, 250_000, 392_000}) {
                for (int align : new int[]{1, 16}) {
                    assertEquals(0, ThreadTeam.start(0, parts, n, align));
                    assertEquals(n, ThreadTeam.start(parts, parts, n, align));
                    for (int p = 1; p < parts; p++) {
                        int s = ThreadTeam.start(p, parts, n, align);
                        assertTrue(s >= ThreadTeam.start(p - 1, parts, n, align));
                        assertTrue(s == n || s % align == 0, "part " + p + " of " + n + " starts at " + s);
                    }
                }
            }
        }
        assertEquals(256, ThreadTeam.start(1, 2, 500, 16));
        assertEquals(64, ThreadTeam.start(1, 2, 128, 1));
        assertThrows(IllegalArgumentException.class, () -> new ThreadTeam(0));
    }
}
