package dev.cairn.p2p.host;

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

/**
 * A hand-driven libp2p dialer over a blocking socket, built from the same protocol pieces, that can step
 * off the protocol at any point: the misbehaving peer of the robustness tests.
 */
final class RawPeer implements AutoCloseable {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;
  private TransportCiphers ciphers;
  PeerId remote;

  RawPeer(InetSocketAddress address) throws IOException {
    socket = new Socket(address.getHostString(), address.getPort());
    socket.setSoTimeout(5000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** mss /noise, Noise XX as initiator, mss /yamux/1.0.0: leaves the connection ready for Yamux frames. */
  RawPeer upgrade(HostKey key) throws IOException {
    negotiatePlain("/noise");
    return upgradeAfterSecurityMss(key);
  }

  RawPeer upgradeAfterSecurityMss(HostKey key) throws IOException {
    return upgradeAfterSecurityMss(key, java.util.Optional.empty());
  }

  /** Upgrades presenting {@code binding} (any bytes, forged ones too) as the Noise payload's Cairn extension. */
  RawPeer upgradeAfterSecurityMss(HostKey key, java.util.Optional<byte[]> binding) throws IOException {
    NoiseXX noise = new NoiseXX(true, NoiseXX.generateStaticKey(RANDOM), RANDOM);
    writeFrame(noise.writeMessage1());
    byte[] m2 = readFrame();
    remote = HandshakePayload.verify(noise.readMessage2(m2), noise.remoteStaticKey()).peer();
    writeFrame(noise.writeMessage3(HandshakePayload.create(key, noise.staticPublicKey(), binding)));
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
    return this;
  }

  void negotiatePlain(String protocol) throws IOException {
    MultistreamSelect mss = MultistreamSelect.dialer(List.of(protocol));
    ByteBuf b = Unpooled.buffer();
    mss.start(b);
    out.write(bytes(b));
    ByteBuf acc = Unpooled.buffer();
    while (mss.outcome() instanceof MultistreamSelect.Outcome.Pending) {
      acc.writeByte(in.readUnsignedByte());
      mss.onInput(acc, Unpooled.buffer());
    }
  }

  void sendEncrypted(byte[] plaintext) throws IOException {
    writeFrame(ciphers.encrypt(plaintext, 0, plaintext.length));
  }

  void writeFrame(byte[] body) throws IOException {
    out.write(new byte[] {(byte) (body.length >>> 8), (byte) body.length});
    out.write(body);
    out.flush();
  }

  void writeRaw(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  byte[] readFrame() throws IOException {
    int len = in.readUnsignedShort();
    byte[] b = new byte[len];
    in.readFully(b);
    return b;
  }

  /** True when the remote closes the connection within the timeout (reads and discards until EOF). */
  boolean closedByRemoteWithin(int millis) throws IOException {
    socket.setSoTimeout(millis);
    try {
      while (in.read() >= 0) {
        // drain whatever the remote still sent (identify, GoAway)
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by peer
    }
  }

  private static byte[] bytes(ByteBuf b) {
    byte[] a = new byte[b.readableBytes()];
    b.readBytes(a);
    return a;
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
