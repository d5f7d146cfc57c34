package dev.cairn.explorer;

import dev.cairn.rpc.server.RpcServer;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the explorer's static pages under {@link #PATH} on the node's RPC listener. The files are the
 * classpath resources listed in {@code assets.txt}, read once at start-up into memory (bounded), so a request
 * can only ever name one of them: there is no path to resolve and nothing to traverse. Every answer carries a
 * Content-Security-Policy that allows this origin only (scripts, styles, images, fetch and WebSocket), an ETag
 * and {@code Cache-Control: no-cache}, so a browser revalidates (304) and never runs a stale module after an
 * upgrade.
 */
public final class ExplorerRoutes {
  private static final Logger LOG = LoggerFactory.getLogger(ExplorerRoutes.class);
  /** Where the explorer is served; its index is {@code /explorer/}. */
  public static final String PATH = "/explorer";
  static final String RESOURCE_ROOT = "/dev/cairn/explorer/web/";
  static final String ASSET_LIST = "assets.txt";
  /** Bounds on what start-up reads into memory: the explorer is about 100 KB today. */
  static final int ASSETS_MAX = 64;
  static final int ASSET_BYTES_MAX = 512 * 1024;
  /** Nothing from any other origin; no inline script or style; no plugins, no framing, no form posts. */
  public static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
      + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
  private static final Map<String, String> CONTENT_TYPES = Map.of(
      "html", "text/html; charset=utf-8",
      "js", "text/javascript; charset=utf-8",
      "mjs", "text/javascript; charset=utf-8",
      "css", "text/css; charset=utf-8",
      "svg", "image/svg+xml",
      "png", "image/png");

  /** One served file; its body is never handed out mutable. */
  static final class Asset {
    final String contentType;
    private final byte[] body;
    final String etag;

    Asset(String contentType, byte[] body, String etag) {
      this.contentType = contentType;
      this.body = body;
      this.etag = etag;
    }

    int size() {
      return body.length;
    }
  }

  private final Map<String, Asset> assets;

  private ExplorerRoutes(Map<String, Asset> assets) {
    this.assets = Map.copyOf(assets);
  }

  /** Reads every listed asset from the classpath; fails loudly if the jar lacks one (a build error). */
  public static ExplorerRoutes load() {
    String list = new String(read(ASSET_LIST), StandardCharsets.UTF_8);
    Map<String, Asset> assets = new LinkedHashMap<>();
    for (String name : list.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
      if (assets.size() == ASSETS_MAX) {
        throw new IllegalStateException("explorer: more than " + ASSETS_MAX + " assets listed");
      }
      if (name.contains("..") || name.startsWith("/")) {
        throw new IllegalStateException("explorer: asset names are relative paths inside the web root: " + name);
      }
      String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
      if (type == null) {
        throw new IllegalStateException("explorer: no content type for " + name);
      }
      byte[] body = read(name);
      assets.put(name, new Asset(type, body, "\"" + sha256(body).substring(0, 32) + "\""));
    }
    if (!assets.containsKey("index.html")) {
      throw new IllegalStateException("explorer: index.html is not listed");
    }
    return new ExplorerRoutes(assets);
  }

  private static byte[] read(String name) {
    try (InputStream in = ExplorerRoutes.class.getResourceAsStream(RESOURCE_ROOT + name)) {
      if (in == null) {
        throw new IllegalStateException("explorer: resource missing from the jar: " + RESOURCE_ROOT + name);
      }
      byte[] body = in.readNBytes(ASSET_BYTES_MAX + 1);
      if (body.length > ASSET_BYTES_MAX) {
        throw new IllegalStateException("explorer: " + name + " exceeds " + ASSET_BYTES_MAX + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw new IllegalStateException("explorer: cannot read " + name, e);
    }
  }

  private static String sha256(byte[] body) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  /** Registers the routes on {@code rpc} (before it starts) and lets the explorer's pages open its WebSocket. */
  public void mountOn(RpcServer rpc) {
    rpc.addGetRoute(PATH, this::serveRoot);
    rpc.addGetRoute(PATH + "/<file>", ctx -> serve(ctx, ctx.pathParam("file")));
    rpc.allowSameOriginWebSockets();
    LOG.info("explorer enabled path={}/ assets={} bytes={}", PATH, assets.size(), totalBytes());
  }

  /** {@code /explorer} redirects to {@code /explorer/}, whose relative links then resolve under it. */
  private void serveRoot(Context ctx) {
    if (ctx.path().endsWith("/")) {
      serve(ctx, "index.html");
    } else {
      ctx.header("Location", PATH + "/").status(301);
    }
  }

  private void serve(Context ctx, String name) {
    Asset asset = assets.get(name.isEmpty() ? "index.html" : name);
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-cache");
    if (asset == null) {
      ctx.status(404).contentType("text/plain; charset=utf-8").result("not found");
      return;
    }
    ctx.header("ETag", asset.etag);
    if (asset.etag.equals(ctx.header("If-None-Match"))) {
      ctx.status(304);
      return;
    }
    ctx.contentType(asset.contentType).result(asset.body.clone());
  }

  /** The assets' names, in list order. */
  public java.util.Set<String> names() {
    return assets.keySet();
  }

  /** The bytes served for the whole explorer, uncompressed. */
  public long totalBytes() {
    return assets.values().stream().mapToLong(Asset::size).sum();
  }
}
