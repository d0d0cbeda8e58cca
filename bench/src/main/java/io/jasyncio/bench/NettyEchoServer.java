package io.jasyncio.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The echo benchmark's Netty peer: Netty 4.1 on the JDK NIO transport, one event loop
 * ({@code NioEventLoopGroup(1)} used as both boss and worker, so accept and all I/O share one
 * thread, like our server and the plain NIO one); {@code --threads N} gives it N event loops, the
 * peer of {@code echo-server --loops N}. The handler writes each received {@code ByteBuf}
 * straight back and flushes once per read batch. Pooled direct buffers (Netty's defaults).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar io.jasyncio.bench.NettyEchoServer [--threads N] [port]
 * </pre>
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg, ctx.voidPromise());
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[args.length - 1]) : 9103;
        int threads = 1;
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals("--threads")) {
                threads = Integer.parseInt(args[i + 1]); // event loops: the multi-loop comparison
            }
        }
        EventLoopGroup group = new NioEventLoopGroup(threads);
        try {
            ServerBootstrap b = new ServerBootstrap()
                    .group(group, group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 4096)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(EchoHandler.INSTANCE);
                        }
                    });
            ChannelFuture f = b.bind("127.0.0.1", port).sync();
            System.out.println("netty echo server listening on " + f.channel().localAddress());
            System.out.flush();
            f.channel().closeFuture().sync();
        } finally {
            group.shutdownGracefully();
        }
    }
}
