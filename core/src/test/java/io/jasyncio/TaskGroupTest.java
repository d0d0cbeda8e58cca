package io.jasyncio;

import static io.jasyncio.TestSupport.assertThrowsWithMessage;
import static io.jasyncio.TestSupport.millisSince;
import static io.jasyncio.TestSupport.ms;
import static io.jasyncio.TestSupport.now;
import static io.jasyncio.TestSupport.runVirtual;
import static io.jasyncio.TestSupport.sleepMs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskGroupTest {

    private static final Duration HOUR = Duration.ofHours(1);

    @Test
    void closeWaitsForEveryChild() {
        runVirtual(() -> {
            long t0 = now();
            List<Task<Integer>> children = new ArrayList<>();
            try (TaskGroup g = Async.taskGroup()) {
                for (int i = 1; i <= 3; i++) {
                    int n = i;
                    children.add(g.spawn(() -> {
                        sleepMs(10L * n);
                        return n;
                    }));
                }
                assertEquals(children, g.tasks());
            }
            assertEquals(30, millisSince(t0));
            for (int i = 0; i < 3; i++) {
                assertEquals(i + 1, children.get(i).resultNow());
            }
            return null;
        });
    }

    @Test
    void anEmptyGroupClosesAtOnce() {
        runVirtual(() -> {
            long t0 = now();
            try (TaskGroup g = Async.taskGroup()) {
                assertTrue(g.tasks().isEmpty());
            }
            assertEquals(0, millisSince(t0));
            return null;
        });
    }

    @Test
    void theFirstFailureCancelsSiblingsAndInterruptsTheBodyWithTheGroupException() {
        List<String> events = new ArrayList<>();
        IllegalStateException boom = new IllegalStateException("boom");
        runVirtual(() -> {
            long t0 = now();
            Task<?>[] sibling = new Task<?>[1];
            TaskGroupException[] inBody = new TaskGroupException[1];
            TaskGroupException outside = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    g.spawn(() -> {
                        sleepMs(10);
                        throw boom;
                    });
                    sibling[0] = g.spawn(() -> {
                        try {
                            Async.sleep(HOUR);
                        } catch (CancelledException e) {
                            events.add("sibling cancelled: " + e.getMessage());
                            throw e;
                        }
                        return null;
                    });
                    try {
                        Async.sleep(HOUR);
                        events.add("unreachable");
                    } catch (TaskGroupException e) {
                        events.add("body interrupted at " + millisSince(t0));
                        inBody[0] = e;
                        throw e;
                    }
                }
            });
            assertSame(inBody[0], outside, "the body's exception and the group's are the same instance");
            assertSame(boom, outside.getCause());
            assertEquals(List.of(boom), outside.exceptions());
            assertTrue(outside.getMessage().contains("boom"), outside.getMessage());
            assertTrue(sibling[0].isCancelled());
            assertEquals(10, millisSince(t0));
            return null;
        });
        assertEquals(List.of("sibling cancelled: another task in the group failed", "body interrupted at 10"), events);
    }

    @Test
    void everyFailureIsCollected() {
        IllegalStateException first = new IllegalStateException("first");
        IllegalArgumentException second = new IllegalArgumentException("second (while cancelled)");
        UnsupportedOperationException third = new UnsupportedOperationException("third (same step)");
        runVirtual(() -> {
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    g.spawn(() -> {
                        sleepMs(10);
                        throw first;
                    });
                    g.spawn(() -> {
                        try {
                            Async.sleep(HOUR);
                        } catch (CancelledException c) {
                            throw second; // failing during its own cancellation
                        }
                        return null;
                    });
                    g.spawn(() -> {
                        sleepMs(10);
                        throw third; // same instant, runs after the first failure
                    });
                    Async.sleep(HOUR);
                }
            });
            assertSame(first, e.getCause());
            // third was already woken by its timer when first failed, so it fails before second
            // gets to run its cancellation.
            assertEquals(List.of(first, third, second), e.exceptions(), "in the order they happened");
            assertArrayEquals(new Throwable[] {third, second}, e.getSuppressed());
            assertTrue(e.getMessage().startsWith("3 tasks in the group failed"), e.getMessage());
            assertThrows(UnsupportedOperationException.class, () -> e.exceptions().add(new RuntimeException()));
            return null;
        });
    }

    @Test
    void aFailureTheBodyNeverSuspendsAgainToSeeComesFromClose() {
        IllegalStateException boom = new IllegalStateException("boom");
        runVirtual(() -> {
            List<String> events = new ArrayList<>();
            TaskGroup[] group = new TaskGroup[1];
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    group[0] = g;
                    g.spawn(() -> {
                        throw boom;
                    });
                    g.spawn(() -> {
                        try {
                            Async.sleep(HOUR);
                        } finally {
                            events.add("sibling finally");
                        }
                        return null;
                    });
                    events.add("body done");
                }
            });
            assertSame(boom, e.getCause());
            assertEquals(List.of("body done", "sibling finally"), events);
            assertTrue(group[0].tasks().isEmpty(), "close waited for the cancelled sibling");
            return null;
        });
    }

    @Test
    void aFailureWhileTheOwnerWaitsInCloseIsThrownByClose() {
        IllegalStateException boom = new IllegalStateException("boom");
        runVirtual(() -> {
            long t0 = now();
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    g.spawn(() -> {
                        sleepMs(20);
                        throw boom;
                    });
                    g.spawn(() -> {
                        Async.sleep(HOUR);
                        return null;
                    });
                }
            });
            assertSame(boom, e.getCause());
            assertEquals(20, millisSince(t0));
            return null;
        });
    }

    @Test
    void cancellingTheOwnerCancelsTheChildrenAndWaitsForThem() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            long t0 = now();
            List<Task<?>> children = new ArrayList<>();
            Task<Void> owner = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    for (int i = 0; i < 2; i++) {
                        int n = i;
                        children.add(g.spawn(() -> {
                            try {
                                Async.sleep(HOUR);
                            } finally {
                                Async.shield(() -> {
                                    sleepMs(5 * (n + 1)); // cleanup that takes time
                                    events.add("child " + n + " cleaned up at " + millisSince(t0));
                                    return null;
                                });
                            }
                            return null;
                        }));
                    }
                    Async.sleep(HOUR);
                } finally {
                    events.add("owner left the group at " + millisSince(t0));
                }
                return null;
            });
            sleepMs(10);
            owner.cancel("owner cancelled");
            assertEquals("owner cancelled", assertThrows(CancelledException.class, owner::await).getMessage());
            for (Task<?> c : children) {
                assertTrue(c.isCancelled());
            }
            return null;
        });
        assertEquals(List.of("child 0 cleaned up at 15", "child 1 cleaned up at 20", "owner left the group at 20"), events);
    }

    @Test
    void cancellingTheOwnerWhileItWaitsInCloseCancelsTheChildren() {
        runVirtual(() -> {
            Task<?>[] child = new Task<?>[1];
            Task<Void> owner = Async.spawn(() -> {
                try (TaskGroup g = Async.taskGroup()) {
                    child[0] = g.spawn(() -> {
                        Async.sleep(HOUR);
                        return null;
                    });
                }
                return null;
            });
            sleepMs(10);
            long t0 = now();
            owner.cancel();
            assertThrows(CancelledException.class, owner::await);
            assertTrue(child[0].isCancelled());
            assertEquals(0, millisSince(t0));
            return null;
        });
    }

    @Test
    void spawningIntoAClosedOrFailedGroupFails() {
        IllegalStateException boom = new IllegalStateException("boom");
        runVirtual(() -> {
            TaskGroup closed;
            try (TaskGroup g = Async.taskGroup()) {
                closed = g;
            }
            assertThrowsWithMessage(IllegalStateException.class, () -> closed.spawn(() -> 1), "closed");
            closed.close(); // idempotent

            assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    g.spawn(() -> {
                        throw boom;
                    });
                    try {
                        Async.yieldNow();
                    } catch (TaskGroupException e) {
                        IllegalStateException refused = assertThrowsWithMessage(IllegalStateException.class,
                                () -> g.spawn(() -> 1), "shutting down after a failure");
                        assertSame(e, refused.getCause());
                        throw e;
                    }
                    fail("the body should have been interrupted");
                }
            });
            return null;
        });
    }

    @Test
    void groupCancelStopsTheChildrenButNotTheBody() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            long t0 = now();
            List<Task<?>> children = new ArrayList<>();
            try (TaskGroup g = Async.taskGroup()) {
                children.add(g.spawn(() -> {
                    Async.sleep(HOUR);
                    return null;
                }));
                children.add(g.spawn(() -> {
                    Async.sleep(HOUR);
                    return null;
                }));
                sleepMs(5);
                g.cancel();
                sleepMs(5); // the body is not interrupted
                events.add("body finished at " + millisSince(t0));
            }
            for (Task<?> c : children) {
                assertTrue(c.isCancelled());
            }
            events.add("closed without error");
            return null;
        });
        assertEquals(List.of("body finished at 10", "closed without error"), events);
    }

    @Test
    void aChildsCancellationIsNotAFailure() {
        runVirtual(() -> {
            Task<String> kept;
            Task<String> cancelled;
            try (TaskGroup g = Async.taskGroup()) {
                kept = g.spawn(() -> {
                    sleepMs(20);
                    return "kept";
                });
                cancelled = g.spawn(() -> {
                    Async.sleep(HOUR);
                    return "never";
                });
                Task<String> selfCancelling = g.spawn(() -> {
                    throw new CancelledException("gave up");
                });
                sleepMs(5);
                cancelled.cancel();
                assertTrue(selfCancelling.isCancelled());
            }
            assertEquals("kept", kept.resultNow());
            assertTrue(cancelled.isCancelled());
            return null;
        });
    }

    @Test
    void theBodysOwnExceptionDoesNotCancelTheChildrenButCloseStillWaits() {
        IllegalStateException own = new IllegalStateException("body failed");
        runVirtual(() -> {
            long t0 = now();
            Task<?>[] child = new Task<?>[1];
            assertSame(own, assertThrows(IllegalStateException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    child[0] = g.spawn(() -> {
                        sleepMs(30);
                        return "finished";
                    });
                    sleepMs(5);
                    throw own;
                }
            }));
            assertEquals(30, millisSince(t0));
            assertEquals("finished", child[0].resultNow());
            return null;
        });
    }

    @Test
    void aChildFailureDuringAnUnrelatedBodyExceptionIsSuppressedOntoIt() {
        IllegalStateException own = new IllegalStateException("body failed");
        IllegalArgumentException childFailure = new IllegalArgumentException("child failed");
        runVirtual(() -> {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    g.spawn(() -> {
                        sleepMs(10);
                        throw childFailure;
                    });
                    throw own;
                }
            });
            assertSame(own, e);
            assertEquals(1, e.getSuppressed().length);
            TaskGroupException tge = (TaskGroupException) e.getSuppressed()[0];
            assertSame(childFailure, tge.getCause());
            return null;
        });
    }

    @Test
    void closeMustBeCalledByTheOwner() {
        runVirtual(() -> {
            TaskGroup g = Async.taskGroup();
            Task<Void> other = Async.spawn(() -> {
                g.close();
                return null;
            });
            assertThrowsWithMessage(IllegalStateException.class, other::await, "closed by the task that opened it");
            g.close();
            return null;
        });
        assertThrows(IllegalStateException.class, Async::taskGroup);
    }

    // ------------------------------------------------------------------ nesting

    @Test
    void nestedGroupsEachWaitForTheirOwnChildren() {
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            long t0 = now();
            try (TaskGroup outer = Async.taskGroup()) {
                outer.spawn(() -> {
                    sleepMs(30);
                    events.add("outer child at " + millisSince(t0));
                    return null;
                });
                try (TaskGroup inner = Async.taskGroup()) {
                    inner.spawn(() -> {
                        sleepMs(10);
                        events.add("inner child at " + millisSince(t0));
                        return null;
                    });
                    // A grandchild group inside a child task.
                    inner.spawn(() -> {
                        try (TaskGroup g = Async.taskGroup()) {
                            g.spawn(() -> {
                                sleepMs(15);
                                events.add("grandchild at " + millisSince(t0));
                                return null;
                            });
                        }
                        return null;
                    });
                }
                events.add("inner closed at " + millisSince(t0));
            }
            events.add("outer closed at " + millisSince(t0));
            return null;
        });
        assertEquals(List.of("inner child at 10", "grandchild at 15", "inner closed at 15", "outer child at 30",
                "outer closed at 30"), events);
    }

    @Test
    void anInnerGroupsFailureReachesTheOuterGroupsBody() {
        IllegalStateException boom = new IllegalStateException("inner boom");
        runVirtual(() -> {
            Task<?>[] outerChild = new Task<?>[1];
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup outer = Async.taskGroup()) {
                    outerChild[0] = outer.spawn(() -> {
                        sleepMs(20);
                        return "outer child";
                    });
                    try (TaskGroup inner = Async.taskGroup()) {
                        inner.spawn(() -> {
                            sleepMs(5);
                            throw boom;
                        });
                        Async.sleep(HOUR);
                    }
                }
            });
            assertSame(boom, e.getCause());
            // The inner failure is the outer body's own exception: the outer group waited for its child.
            assertEquals("outer child", outerChild[0].resultNow());
            return null;
        });
    }

    @Test
    void anOuterGroupsFailureInterruptsABodyInsideAnInnerGroup() {
        IllegalStateException boom = new IllegalStateException("outer boom");
        List<String> events = new ArrayList<>();
        runVirtual(() -> {
            Task<?>[] innerChild = new Task<?>[1];
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup outer = Async.taskGroup()) {
                    outer.spawn(() -> {
                        sleepMs(5);
                        throw boom;
                    });
                    try (TaskGroup inner = Async.taskGroup()) {
                        innerChild[0] = inner.spawn(() -> {
                            try {
                                Async.sleep(HOUR);
                            } finally {
                                events.add("inner child finally");
                            }
                            return null;
                        });
                        Async.sleep(HOUR); // interrupted here by the outer group's failure
                    }
                }
            });
            assertSame(boom, e.getCause());
            assertEquals(List.of(boom), e.exceptions());
            assertEquals(0, e.getSuppressed().length, "nothing but the failure itself: " + List.of(e.getSuppressed()));
            assertTrue(innerChild[0].isCancelled());
            return null;
        });
        assertEquals(List.of("inner child finally"), events);
    }

    @Test
    void anOuterGroupsFailureInterruptsAnInnerGroupsClose() {
        IllegalStateException boom = new IllegalStateException("outer boom");
        runVirtual(() -> {
            Task<?>[] innerChild = new Task<?>[1];
            TaskGroupException e = assertThrows(TaskGroupException.class, () -> {
                try (TaskGroup outer = Async.taskGroup()) {
                    outer.spawn(() -> {
                        sleepMs(5);
                        throw boom;
                    });
                    try (TaskGroup inner = Async.taskGroup()) {
                        innerChild[0] = inner.spawn(() -> {
                            Async.sleep(HOUR);
                            return null;
                        });
                    } // waiting here when the outer child fails
                    fail("the outer body should have been interrupted");
                }
            });
            assertSame(boom, e.getCause());
            assertTrue(innerChild[0].isCancelled());
            return null;
        });
    }

    @Test
    void aGroupInsideATimeoutIsCancelledByTheDeadline() {
        runVirtual(() -> {
            long t0 = now();
            Task<?>[] child = new Task<?>[1];
            assertThrows(AsyncTimeoutException.class, () -> Async.withTimeout(ms(15), () -> {
                try (TaskGroup g = Async.taskGroup()) {
                    child[0] = g.spawn(() -> {
                        Async.sleep(HOUR);
                        return null;
                    });
                }
                return null;
            }));
            assertEquals(15, millisSince(t0));
            assertTrue(child[0].isCancelled());
            return null;
        });
    }

    @Test
    void aFailedGroupsChildFailuresAreNotReportedAsUnretrieved() {
        List<ErrorReport> reports = TestSupport.reports();
        runVirtual(reports, () -> {
            try (TaskGroup g = Async.taskGroup()) {
                g.spawn(() -> {
                    throw new IllegalStateException("boom");
                });
            } catch (TaskGroupException expected) {
                // retrieved through the group
            }
            return null;
        });
        assertEquals(List.of(), reports);
        assertFalse(reports.iterator().hasNext());
    }
}
