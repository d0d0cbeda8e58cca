package io.jasyncio.bench;

import io.jasyncio.Async;
import io.jasyncio.LoopGroup;
import io.jasyncio.Task;
import io.jasyncio.sync.CrossLoopChannel;
import io.netty.channel.EventLoop;
import io.netty.channel.nio.NioEventLoopGroup;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;

/**
 * Messages per second from one thread to another, three ways, alternating in one run:
 * <ul>
 * <li>{@code crossloop}: a {@link CrossLoopChannel} from a task of loop 0 to a task of loop 1 of a
 *     2-loop {@link LoopGroup} (capacity 1024, awaitable send/receive, backpressure);
 * <li>{@code abq}: an {@link ArrayBlockingQueue} of 1024 between two platform threads (put/take);
 * <li>{@code netty}: Netty's {@code EventLoop.execute} hand-off from one event loop to another, one
 *     task per message, bounded like the others: the consumer grants 512 more every 512 it ran
 *     (an unbounded producer would only measure how fast the queue grows).
 * </ul>
 * Items are boxed Integers from the cache-free range, so each contender allocates alike.
 *
 * <pre>
 * java --add-exports java.base/jdk.internal.vm=ALL-UNNAMED -cp bench/target/benchmarks.jar \
 *     io.jasyncio.bench.CrossLoopHandoff [MESSAGES_PER_RUN] [ROUNDS]
 * </pre>
 */
public final class CrossLoopHandoff {

    private static final int CAPACITY = 1024;

    private CrossLoopHandoff() {
    }

    /**
     * Runs the three contenders in turn, {@code ROUNDS} times, and prints each run and the medians.
     *
     * @param args {@code [MESSAGES_PER_RUN] [ROUNDS]}
     * @throws Exception if a contender fails
     */
    public static void main(String[] args) throws Exception {
        int messages = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        List<Double> cross = new ArrayList<>(), abq = new ArrayList<>(), netty = new ArrayList<>();
        crossLoop(messages / 10);
        arrayBlockingQueue(messages / 10);
        netty(messages / 10); // warm-up, not counted
        for (int r = 0; r < rounds; r++) {
            cross.add(crossLoop(messages));
            abq.add(arrayBlockingQueue(messages));
            netty.add(netty(messages));
            System.out.printf("round %d: crossloop %.0f, abq %.0f, netty %.0f msgs/s%n", r + 1,
                    cross.get(r), abq.get(r), netty.get(r));
        }
        double c = median(cross), a = median(abq), n = median(netty);
        System.out.printf("RESULT crossloop msgs_per_s=%.0f%n", c);
        System.out.printf("RESULT abq msgs_per_s=%.0f%n", a);
        System.out.printf("RESULT netty_execute msgs_per_s=%.0f%n", n);
        System.out.printf("RESULT ratios crossloop/abq=%.2f crossloop/netty=%.2f%n", c / a, c / n);
    }

    static double crossLoop(int messages) {
        LoopGroup g = LoopGroup.builder().loops(2).build();
        return g.run(() -> {
            CrossLoopChannel<Integer> ch = CrossLoopChannel.create(g.loop(0), g.loop(1), CAPACITY);
            long t0 = System.nanoTime();
            Task<Long> consumer = Async.spawn(() -> Async.awaitOn(g.loop(1), () -> {
                long sum = 0;
                for (int i = 0; i < messages; i++) {
                    sum += ch.receive();
                }
                return sum;
            }));
            for (int i = 0; i < messages; i++) {
                ch.send(1000 + (i & 1023));
            }
            consumer.await();
            return messages * 1e9 / (System.nanoTime() - t0);
        });
    }

    static double arrayBlockingQueue(int messages) throws Exception {
        ArrayBlockingQueue<Integer> q = new ArrayBlockingQueue<>(CAPACITY);
        long[] sum = {0};
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < messages; i++) {
                    sum[0] += q.take();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long t0 = System.nanoTime();
        for (int i = 0; i < messages; i++) {
            q.put(1000 + (i & 1023));
        }
        consumer.join();
        return messages * 1e9 / (System.nanoTime() - t0);
    }

    static double netty(int messages) throws Exception {
        NioEventLoopGroup group = new NioEventLoopGroup(2);
        try {
            EventLoop producerLoop = group.next();
            EventLoop consumerLoop = group.next();
            CompletableFuture<Double> done = new CompletableFuture<>();
            final class Run {
                int sent;           // producer loop only
                int credits = CAPACITY; // producer loop only
                int received;       // consumer loop only
                long sum;           // consumer loop only
                long t0;

                void produce() {
                    while (credits > 0 && sent < messages) {
                        credits--;
                        Integer item = 1000 + (sent++ & 1023);
                        consumerLoop.execute(() -> consume(item));
                    }
                }

                void consume(Integer item) {
                    sum += item;
                    if (++received == messages) {
                        done.complete(messages * 1e9 / (System.nanoTime() - t0));
                    } else if (received % 512 == 0) {
                        producerLoop.execute(() -> {
                            credits += 512;
                            produce();
                        });
                    }
                }
            }
            Run run = new Run();
            producerLoop.execute(() -> {
                run.t0 = System.nanoTime();
                run.produce();
            });
            return done.get();
        } finally {
            group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS).sync();
        }
    }

    private static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }
}
