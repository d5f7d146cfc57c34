package dev.cairn.adversary;

import dev.cairn.p2p.identity.HostKey;
import dev.cairn.p2p.identity.PeerId;
import dev.cairn.p2p.mss.MultistreamSelect;
import dev.cairn.p2p.noise.HandshakePayload;
import dev.cairn.p2p.noise.NoiseXX;
import dev.cairn.p2p.noise.TransportCiphers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hand-driven libp2p connection over a blocking socket, built from the node's own protocol pieces: mss
 * {@code /noise}, Noise XX as initiator with the given identity, mss {@code /yamux/1.0.0}. After
 * {@link #open} the caller writes Yamux frames as it likes and reads only if it wants to: what an attack
 * needs, and what the node's Host (which always reads) cannot do.
 */
final class SecuredConnection implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private TransportCiphers ciphers;
  private PeerId remote;

  private SecuredConnection(InetSocketAddress target, int receiveBufferBytes) throws IOException {
    socket = new Socket();
    if (receiveBufferBytes > 0) socket.setReceiveBufferSize(receiveBufferBytes);
    socket.connect(target, 5_000);
    socket.setSoTimeout(10_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Connects and upgrades; {@code receiveBufferBytes} 0 keeps the OS default. */
  static SecuredConnection open(InetSocketAddress target, HostKey identity, int receiveBufferBytes) throws IOException {
    SecuredConnection c = new SecuredConnection(target, receiveBufferBytes);
    try {
      c.upgrade(identity);
      return c;
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
  }

  PeerId remote() {
    return remote;
  }

  private void upgrade(HostKey identity) throws IOException {
    negotiatePlain("/noise");
    NoiseXX noise = new NoiseXX(true, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    writeFrame(noise.writeMessage1());
    remote = HandshakePayload.verify(noise.readMessage2(readFrame()), noise.remoteStaticKey()).peer();
    writeFrame(noise.writeMessage3(HandshakePayload.create(identity, noise.staticPublicKey())));
    ciphers = noise.split();
    MultistreamSelect mss = MultistreamSelect.dialer(List.of("/yamux/1.0.0"));
    ByteBuf b = Unpooled.buffer();
    mss.start(b);
    sendEncrypted(bytes(b));
    ByteBuf acc = Unpooled.buffer();
    while (mss.outcome() instanceof MultistreamSelect.Outcome.Pending) {
      acc.writeBytes(ciphers.decrypt(readFrame()));
      mss.onInput(acc, Unpooled.buffer());
    }
    if (!(mss.outcome() instanceof MultistreamSelect.Outcome.Selected)) throw new IOException("yamux refused");
  }

  private void negotiatePlain(String protocol) throws IOException {
    MultistreamSelect mss = MultistreamSelect.dialer(List.of(protocol));
    ByteBuf b = Unpooled.buffer();
    mss.start(b);
    out.write(bytes(b));
    ByteBuf acc = Unpooled.buffer();
    while (mss.outcome() instanceof MultistreamSelect.Outcome.Pending) {
      acc.writeByte(in.readUnsignedByte());
      mss.onInput(acc, Unpooled.buffer());
    }
    if (!(mss.outcome() instanceof MultistreamSelect.Outcome.Selected)) throw new IOException(protocol + " refused");
  }

  /** One Noise transport frame (at most 65519 plaintext bytes). */
  void sendEncrypted(byte[] plaintext) throws IOException {
    writeFrame(ciphers.encrypt(plaintext, 0, plaintext.length));
  }

  private void writeFrame(byte[] body) throws IOException {
    out.write(new byte[] {(byte) (body.length >>> 8), (byte) body.length});
    out.write(body);
    out.flush();
  }

  private byte[] readFrame() throws IOException {
    int len = in.readUnsignedShort();
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  /**
   * Reads and discards until the target closes (true) or {@code millis} pass (false). The socket timeout is
   * per read, so each read gets only what is left of {@code millis}: a target that keeps sending (its keep-alive
   * pings) must not stretch the wait. It did: a 1 s wait lasted until the target's 60 s ping timeout closed the
   * connection, and oversized-frames then reported a close it had not caused.
   */
  boolean closedByTargetWithin(int millis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    byte[] sink = new byte[64 * 1024];
    try {
      while (true) {
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        if (left <= 0) {
          return false;
        }
        socket.setSoTimeout((int) left);
        if (in.read(sink) < 0) {
          return true;
        }
        // the target's answers, pings and GoAway: not needed
      }
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the target
    }
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.readBytes(a);
    return a;
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // already reset
    }
  }
}
