package au.com.backup247.agent.repo.store.s3;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.scheme.AwsV4AuthScheme;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignRequest;
import software.amazon.awssdk.http.auth.spi.signer.AsyncSignedRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;
import software.amazon.awssdk.identity.spi.IdentityProviders;

/**
 * The SDK's Signature V4 signer, with one hash per byte sent: a request whose body carries a
 * {@code Content-MD5} is signed with {@code x-amz-content-sha256: UNSIGNED-PAYLOAD} over
 * {@code http://} too, as the SDK already does over {@code https://}; every other request is signed
 * as the SDK signs it.
 *
 * <p>Why: over plain HTTP the SDK always signs the body ({@code DefaultAwsV4HttpSigner.isPayloadSigning}:
 * payload signing is forced when the protocol is not https, whatever the client asks;
 * aws-sdk-java-v2 issue 5103); for {@code PutObject} and {@code UploadPart} it sends it
 * aws-chunked ({@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD}), a SHA-256 and an HMAC per 128 KiB
 * chunk, so each byte was hashed twice, MD5 and SHA-256, and the server had to check both.
 * {@code Content-MD5} is one of the signed headers, and S3 (documented), MinIO, Ceph and s3proxy
 * refuse a body that does not match it ({@code 400 BadDigest}): the body stays bound to the
 * signature, through its MD5. A body damaged in transit is now reported as the {@code BadDigest}
 * it is, not as s3proxy's {@code 403 SignatureDoesNotMatch} (a chunk signature that did not match,
 * which reads as a wrong secret key).
 *
 * <p>How: the request is signed as if it went over https (the canonical request holds the
 * {@code Host} header, path, query and headers, never the scheme; port 80 becomes 443 so that the
 * {@code Host} header keeps its default-port form), then given back its scheme and port.
 */
final class Md5BodySigner implements AwsV4HttpSigner {
  private static final AwsV4HttpSigner V4 = AwsV4HttpSigner.create();

  /** The SDK's SigV4 scheme ({@code aws.auth#sigv4}) with this signer. */
  static AwsV4AuthScheme scheme() {
    Md5BodySigner signer = new Md5BodySigner();
    return new AwsV4AuthScheme() {
      @Override
      public String schemeId() {
        return AwsV4AuthScheme.SCHEME_ID;
      }

      @Override
      public IdentityProvider<AwsCredentialsIdentity> identityProvider(IdentityProviders providers) {
        return providers.identityProvider(AwsCredentialsIdentity.class);
      }

      @Override
      public AwsV4HttpSigner signer() {
        return signer;
      }
    };
  }

  @Override
  public SignedRequest sign(SignRequest<? extends AwsCredentialsIdentity> request) {
    SdkHttpRequest http = request.request();
    if ("https".equals(http.protocol()) || request.payload().isEmpty()
        || http.firstMatchingHeader("Content-MD5").isEmpty()) {
      return V4.sign(request);
    }
    int port = http.port();
    SdkHttpRequest asHttps = http.toBuilder().protocol("https").port(port == 80 ? 443 : port).build();
    SignedRequest signed = V4.sign(request.toBuilder().request(asHttps).putProperty(PAYLOAD_SIGNING_ENABLED, false)
        .build());
    return signed.toBuilder().request(signed.request().toBuilder().protocol(http.protocol()).port(port).build())
        .build();
  }

  @Override
  public CompletableFuture<AsyncSignedRequest> signAsync(AsyncSignRequest<? extends AwsCredentialsIdentity> request) {
    return V4.signAsync(request); // the store's client is synchronous
  }
}
