package au.com.backup247.agent.repo.store.s3;

import au.com.backup247.agent.repo.store.HttpProxy;
import au.com.backup247.agent.repo.store.ObjectStore;
import java.time.Duration;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.apache5.Apache5HttpClient;
import software.amazon.awssdk.http.apache5.ProxyConfiguration;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.utils.StringInputStream;

/**
 * The SDK client of an {@link S3Store}: Apache HttpClient 5 with the configured timeouts, idle
 * connections dropped after 20 s and {@code Expect: 100-continue}; the proxy (with a preemptive
 * Basic login) when one is configured, never one from system properties or the environment; static
 * credentials; no {@code ~/.aws} profile; at most {@value ObjectStore#SDK_ATTEMPTS} attempts per request
 * without a retry quota; checksums only where an operation requires them; payloads signed by
 * {@link Md5BodySigner}. The reasons are in {@link S3Store}.
 */
final class S3Clients {
  private S3Clients() {
  }

  /** A client for {@code config}; {@code interceptors} (tests) see every request. */
  static S3Client client(S3Store.Config config, List<ExecutionInterceptor> interceptors) {
    Apache5HttpClient.Builder http = Apache5HttpClient.builder()
        .connectionTimeout(config.connectTimeout()).socketTimeout(config.ioTimeout())
        .connectionMaxIdleTime(Duration.ofSeconds(20)).expectContinueEnabled(true);
    if (config.proxy() != null) {
      HttpProxy p = config.proxy();
      ProxyConfiguration.Builder pc = ProxyConfiguration.builder().endpoint(p.uri()).useSystemPropertyValues(false)
          .useEnvironmentVariableValues(false);
      if (p.hasLogin()) {
        pc.username(p.username()).password(p.password() == null ? "" : p.password())
            .preemptiveBasicAuthenticationEnabled(true);
      }
      http.proxyConfiguration(pc.build());
    }
    ProfileFile noProfile = ProfileFile.builder().content(new StringInputStream(""))
        .type(ProfileFile.Type.CONFIGURATION).build();
    S3ClientBuilder b = S3Client.builder()
        .httpClient(http.build())
        .region(Region.of(config.region()))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(config.accessKey(),
            config.secretKey())))
        .forcePathStyle(config.usesPathStyle())
        .putAuthScheme(Md5BodySigner.scheme())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(o -> {
          o.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(ObjectStore.SDK_ATTEMPTS)
              .circuitBreakerEnabled(false).build()).defaultProfileFile(noProfile);
          interceptors.forEach(o::addExecutionInterceptor);
        });
    if (config.endpoint() != null) {
      b.endpointOverride(config.endpoint());
    }
    return b.build();
  }
}
