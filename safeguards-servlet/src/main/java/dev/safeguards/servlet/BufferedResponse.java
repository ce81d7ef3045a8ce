package dev.safeguards.servlet;

import dev.safeguards.http.Problem;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/** Holds the application's response body until the gate has audited it and computed its digest. */
final class BufferedResponse extends HttpServletResponseWrapper {

  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
  private ServletOutputStream stream;
  private PrintWriter writer;

  BufferedResponse(HttpServletResponse response) {
    super(response);
  }

  @Override
  public ServletOutputStream getOutputStream() {
    if (writer != null) {
      throw new IllegalStateException("getWriter() was already called");
    }
    if (stream == null) {
      stream = new ServletOutputStream() {
        @Override
        public void write(int b) {
          buffer.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          buffer.write(b, off, len);
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
          throw new IllegalStateException("the response is buffered; write it synchronously");
        }
      };
    }
    return stream;
  }

  @Override
  public PrintWriter getWriter() {
    if (stream != null) {
      throw new IllegalStateException("getOutputStream() was already called");
    }
    if (writer == null) {
      writer = new PrintWriter(new OutputStreamWriter(buffer, Charset.forName(getCharacterEncoding())));
    }
    return writer;
  }

  @Override
  public void flushBuffer() {
    if (writer != null) {
      writer.flush();
    }
  }

  @Override
  public void setContentLength(int len) {
    // The gate sends the buffered length.
  }

  @Override
  public void setContentLengthLong(long len) {
    // The gate sends the buffered length.
  }

  /**
   * Keeps an error in the buffer, as a generic problem body: the container's error page would commit the response
   * before the gate audited it, and the application's message might carry PHI.
   */
  @Override
  public void sendError(int status, String message) {
    sendError(status);
  }

  @Override
  public void sendError(int status) {
    buffer.reset();
    writer = null;
    stream = null;
    setStatus(status);
    setContentType(Problem.MEDIA_TYPE);
    buffer.writeBytes(Problem.ofStatus(status).body());
  }

  @Override
  public void resetBuffer() {
    buffer.reset();
  }

  @Override
  public void reset() {
    buffer.reset();
    super.reset();
  }

  /** The body written so far. */
  byte[] body() {
    if (writer != null) {
      writer.flush();
    }
    return buffer.toByteArray();
  }

  /** Sends the buffered body. */
  void commit() throws IOException {
    byte[] body = body();
    HttpServletResponse response = (HttpServletResponse) getResponse();
    response.setContentLength(body.length);
    response.getOutputStream().write(body);
    response.flushBuffer();
  }
}
