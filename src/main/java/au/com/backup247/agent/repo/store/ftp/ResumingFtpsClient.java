package au.com.backup247.agent.repo.store.ftp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.security.GeneralSecurityException;
import java.nio.channels.SocketChannel;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.commons.net.ftp.FTPSClient;

/**
 * Explicit FTPS whose data connections resume the control connection's TLS session, as servers
 * require that refuse a data connection from anyone but the logged-in client: vsftpd
 * ({@code require_ssl_reuse=YES}, its default), ProFTPD ({@code TLSOptions} without
 * {@code NoSessionReuseRequired}), FileZilla Server. Commons Net opens each data connection as a
 * new TLS client socket to the passive port, and the JDK offers a cached session only to the
 * host and port it was made with (the control port), so the server sees a new session and drops
 * the transfer.
 *
 * <p>Here, once {@code PROT P} is in force, a data connection is opened as a plain TCP socket and
 * TLS is layered over it in this class, through a {@link SessionKey} view of the socket that
 * reports the control connection's port. The JDK then looks up — and offers for resumption — the
 * control connection's session (TLS 1.2: its session id or ticket; TLS 1.3: the ticket the
 * server sent after the control handshake). No JDK internals are touched. The data socket gets
 * the control socket's TLS parameters (protocols, cipher suites, endpoint identification), which
 * resumption requires anyway. When the server does not resume (it has no session cache), the
 * handshake is a full one and the certificate is checked as on the control connection.
 */
final class ResumingFtpsClient extends FTPSClient {
  private final SSLContext tls;
  private boolean protectData;
  private boolean resumable;
  private SSLSocket lastData;

  /**
   * Explicit TLS ({@code AUTH TLS}) checking certificates with {@code trust}. Each client has its
   * own TLS context, so its session cache holds only this control connection's session (and the
   * tickets its data connections receive): a data connection resumes exactly that session.
   */
  ResumingFtpsClient(X509TrustManager trust) {
    this(context(trust));
  }

  private ResumingFtpsClient(SSLContext tls) {
    super(false, tls);
    this.tls = tls;
  }

  private static SSLContext context(X509TrustManager trust) {
    try {
      SSLContext c = SSLContext.getInstance("TLS");
      c.init(null, new TrustManager[] {trust}, null);
      return c;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no TLS in this JVM", e);
    }
  }

  @Override
  public void execPROT(String prot) throws IOException {
    super.execPROT(prot);
    protectData = "P".equals(prot);
    resumable = hasSession();
    if (protectData) {
      setSocketFactory(null); // plain TCP: TLS is layered over it below, with the control session
    }
  }

  @Override
  protected Socket _openDataConnection_(String command, String arg) throws IOException {
    lastData = null;
    Socket plain = super._openDataConnection_(command, arg);
    if (plain == null || !protectData || !(_socket_ instanceof SSLSocket control)) {
      return plain;
    }
    // The client's handshake messages go out as separate small writes: with Nagle's algorithm the
    // last waits for the server's delayed acknowledgement (40 ms on Linux), so every listing or
    // download took about 50 ms instead of 5 (vsftpd over loopback).
    plain.setTcpNoDelay(true);
    SSLSocket data;
    try {
      data = (SSLSocket) tls.getSocketFactory().createSocket(new SessionKey(plain, control.getPort()), _hostname_,
          control.getPort(), true);
    } catch (IOException | RuntimeException e) {
      plain.close();
      throw e;
    }
    try {
      data.setUseClientMode(true);
      data.setSSLParameters(control.getSSLParameters());
      data.startHandshake();
      lastData = data;
      return data;
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
  }

  /**
   * True when the next data connection could not resume a session although the first could:
   * TLS 1.3 tickets are used once (the JDK drops a ticket when it offers it) and no new one came.
   * A server that requires session reuse would refuse the next transfer, so the connection is
   * better replaced.
   */
  boolean spent() {
    return protectData && resumable && !hasSession();
  }

  private boolean hasSession() {
    return tls.getClientSessionContext().getIds().hasMoreElements();
  }

  /**
   * Ends an upload's data connection ({@code out} from {@code storeFileStream}). Over TLS 1.3
   * the client first closes its side (close_notify) and reads until the server closes: that
   * reads the session ticket the server sent after the resumed handshake, which the next data
   * connection needs (downloads and listings read it with the data). Failures of this read do
   * not matter: the transfer's outcome is the server's reply on the control connection.
   */
  void endUpload(OutputStream out) throws IOException {
    SSLSocket data = lastData;
    lastData = null;
    try (out) {
      out.flush();
      if (data != null && "TLSv1.3".equals(data.getSession().getProtocol())) {
        data.shutdownOutput();
        try {
          InputStream in = data.getInputStream();
          byte[] skip = new byte[512];
          while (in.read(skip) >= 0) {
            // the server sends nothing but its ticket and close_notify
          }
        } catch (IOException ignored) {
          // the server closed without close_notify: the ticket, if any, came before
        }
      }
    }
  }

  /**
   * A connected socket as the JDK's TLS client sees it when deciding which cached session to
   * offer: everything is the real socket's, except that {@link #getPort()} names the control
   * connection's port. The JDK keys its client session cache by the peer host given to
   * {@code createSocket} and this port.
   */
  static final class SessionKey extends Socket {
    private final Socket real;
    private final int port;

    SessionKey(Socket real, int port) {
      this.real = real;
      this.port = port;
    }

    @Override
    public int getPort() {
      return port;
    }

    @Override
    public void connect(SocketAddress endpoint) throws IOException {
      real.connect(endpoint);
    }

    @Override
    public void connect(SocketAddress endpoint, int timeout) throws IOException {
      real.connect(endpoint, timeout);
    }

    @Override
    public void bind(SocketAddress bindpoint) throws IOException {
      real.bind(bindpoint);
    }

    @Override
    public InetAddress getInetAddress() {
      return real.getInetAddress();
    }

    @Override
    public InetAddress getLocalAddress() {
      return real.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
      return real.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
      return real.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
      return real.getLocalSocketAddress();
    }

    @Override
    public SocketChannel getChannel() {
      return real.getChannel();
    }

    @Override
    public InputStream getInputStream() throws IOException {
      return real.getInputStream();
    }

    @Override
    public OutputStream getOutputStream() throws IOException {
      return real.getOutputStream();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
      real.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
      return real.getTcpNoDelay();
    }

    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
      real.setSoLinger(on, linger);
    }

    @Override
    public int getSoLinger() throws SocketException {
      return real.getSoLinger();
    }

    @Override
    public void sendUrgentData(int data) throws IOException {
      real.sendUrgentData(data);
    }

    @Override
    public void setOOBInline(boolean on) throws SocketException {
      real.setOOBInline(on);
    }

    @Override
    public boolean getOOBInline() throws SocketException {
      return real.getOOBInline();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
      real.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
      return real.getSoTimeout();
    }

    @Override
    public void setSendBufferSize(int size) throws SocketException {
      real.setSendBufferSize(size);
    }

    @Override
    public int getSendBufferSize() throws SocketException {
      return real.getSendBufferSize();
    }

    @Override
    public void setReceiveBufferSize(int size) throws SocketException {
      real.setReceiveBufferSize(size);
    }

    @Override
    public int getReceiveBufferSize() throws SocketException {
      return real.getReceiveBufferSize();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
      real.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
      return real.getKeepAlive();
    }

    @Override
    public void setTrafficClass(int tc) throws SocketException {
      real.setTrafficClass(tc);
    }

    @Override
    public int getTrafficClass() throws SocketException {
      return real.getTrafficClass();
    }

    @Override
    public void setReuseAddress(boolean on) throws SocketException {
      real.setReuseAddress(on);
    }

    @Override
    public boolean getReuseAddress() throws SocketException {
      return real.getReuseAddress();
    }

    @Override
    public void close() throws IOException {
      real.close();
    }

    @Override
    public void shutdownInput() throws IOException {
      real.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
      real.shutdownOutput();
    }

    @Override
    public boolean isConnected() {
      return real.isConnected();
    }

    @Override
    public boolean isBound() {
      return real.isBound();
    }

    @Override
    public boolean isClosed() {
      return real.isClosed();
    }

    @Override
    public boolean isInputShutdown() {
      return real.isInputShutdown();
    }

    @Override
    public boolean isOutputShutdown() {
      return real.isOutputShutdown();
    }

    @Override
    public void setPerformancePreferences(int connectionTime, int latency, int bandwidth) {
      real.setPerformancePreferences(connectionTime, latency, bandwidth);
    }

    @Override
    public <T> Socket setOption(SocketOption<T> name, T value) throws IOException {
      real.setOption(name, value);
      return this;
    }

    @Override
    public <T> T getOption(SocketOption<T> name) throws IOException {
      return real.getOption(name);
    }

    @Override
    public Set<SocketOption<?>> supportedOptions() {
      return real.supportedOptions();
    }

    @Override
    public String toString() {
      return real.toString();
    }
  }
}
