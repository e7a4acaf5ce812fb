package au.com.backup247.agent.repo.store.azure;

import au.com.backup247.agent.repo.store.HttpProxy;
import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.HttpPipelineNextPolicy;
import com.azure.core.http.HttpPipelineNextSyncPolicy;
import com.azure.core.http.HttpPipelinePosition;
import com.azure.core.http.HttpResponse;
import com.azure.core.http.policy.HttpPipelinePolicy;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import reactor.core.publisher.Mono;

/**
 * Sends the proxy login as a preemptive {@code Proxy-Authorization: Basic} header, and turns a
 * proxy's {@code 407} into an error at once: the SDK cannot read the empty answer the JDK client
 * gives for a refused {@code CONNECT}.
 */
final class AzureProxyPolicy implements HttpPipelinePolicy {
  private static final HttpHeaderName PROXY_AUTHORIZATION = HttpHeaderName.fromString("Proxy-Authorization");

  private final String basic;

  AzureProxyPolicy(HttpProxy p) {
    this.basic = p.hasLogin() ? "Basic " + Base64.getEncoder().encodeToString((p.username() + ":"
        + (p.password() == null ? "" : p.password())).getBytes(StandardCharsets.UTF_8)) : null;
  }

  private void prepare(HttpPipelineCallContext context) {
    if (basic != null) {
      context.getHttpRequest().setHeader(PROXY_AUTHORIZATION, basic);
    }
  }

  private static HttpResponse check(HttpResponse r) {
    if (r.getStatusCode() == 407) {
      r.close();
      throw new HttpResponseException("HTTP 407 Proxy Authentication Required", r);
    }
    return r;
  }

  @Override
  public Mono<HttpResponse> process(HttpPipelineCallContext context, HttpPipelineNextPolicy next) {
    prepare(context);
    return next.process().map(AzureProxyPolicy::check);
  }

  @Override
  public HttpResponse processSync(HttpPipelineCallContext context, HttpPipelineNextSyncPolicy next) {
    prepare(context);
    return check(next.processSync());
  }

  @Override
  public HttpPipelinePosition getPipelinePosition() {
    return HttpPipelinePosition.PER_RETRY;
  }
}
