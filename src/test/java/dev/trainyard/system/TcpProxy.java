package dev.trainyard.system;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder on a loopback port that a test can cut, to take a server (a database)
 * away from an application and give it back: {@link #cut()} breaks every open connection
 * and refuses new ones, as a server that stops does; {@link #restore()} listens on the
 * same port again.
 */
public final class TcpProxy implements AutoCloseable {

    private final String targetHost;

    private final int targetPort;

    private final int port;

    private final Set<Socket> open = ConcurrentHashMap.newKeySet();

    private ServerSocket server;

    public TcpProxy(String targetHost, int targetPort) {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.server = listen(0);
        this.port = server.getLocalPort();
        acceptOn(server);
    }

    /** The port to connect to instead of the target's. */
    public int port() {
        return port;
    }

    /** Breaks the open connections and refuses new ones until {@link #restore()}. */
    public synchronized void cut() {
        if (server != null) {
            closeQuietly(server);
            server = null;
        }
        open.forEach(TcpProxy::closeQuietly);
        open.clear();
    }

    /** Forwards new connections again. */
    public synchronized void restore() {
        if (server == null) {
            server = listen(port);
            acceptOn(server);
        }
    }

    @Override
    public void close() {
        cut();
    }

    private static ServerSocket listen(int port) {
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return socket;
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void acceptOn(ServerSocket listening) {
        Thread.ofPlatform().daemon().name("tcp-proxy-" + port).start(() -> {
            while (!listening.isClosed()) {
                try {
                    forward(listening, listening.accept());
                }
                catch (IOException closed) {
                    // cut() closed the listener
                }
            }
        });
    }

    private void forward(ServerSocket listening, Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(targetHost, targetPort);
        }
        catch (IOException refused) {
            closeQuietly(client);
            return;
        }
        synchronized (this) {
            if (listening.isClosed()) {
                // cut while this connection was being opened
                closeQuietly(client);
                closeQuietly(upstream);
                return;
            }
            open.add(client);
            open.add(upstream);
        }
        pipe(client, upstream);
        pipe(upstream, client);
    }

    private void pipe(Socket from, Socket to) {
        Thread.ofVirtual().start(() -> {
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
            }
            catch (IOException ended) {
                // either side closed
            }
            finally {
                closeQuietly(from);
                closeQuietly(to);
                open.remove(from);
                open.remove(to);
            }
        });
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        }
        catch (Exception ignored) {
            // closing is all that is asked
        }
    }

}
