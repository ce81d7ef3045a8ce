package dev.safeguards.benchmarks.http;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.servlet.Filter;
import java.text.ParseException;
import java.util.List;
import org.springframework.security.authorization.AuthorityAuthorizationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtAudienceValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtTypeValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.access.ExceptionTranslationFilter;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextHolderFilter;
import org.springframework.security.web.savedrequest.NullRequestCache;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;

/**
 * The peer of {@code /secured} in the HTTP overhead benchmark: the same endpoint behind Spring Security's OAuth2
 * resource server doing authentication and authorization only, as issue 21 asks: the bearer token verified (signature
 * with the same keys, {@code exp}/{@code nbf}, issuer, audience, the {@code at+jwt} type) and one role checked, in
 * Spring Security's own filter chain (firewall, security context, bearer token filter, exception translation,
 * authorization filter). No session, no revocation, no MFA check, no audit. ES256 and HS256 tokens: the stock decoder
 * has no EdDSA.
 */
final class SpringSecurityPeer {

  private SpringSecurityPeer() {}

  /** Spring Security's filter chain requiring role {@code role} of tokens {@code decoder} verifies. */
  static Filter filter(JwtDecoder decoder, String role) {
    JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
    roles.setAuthoritiesClaimName("roles");
    roles.setAuthorityPrefix("ROLE_");
    JwtAuthenticationConverter authentication = new JwtAuthenticationConverter();
    authentication.setJwtGrantedAuthoritiesConverter(roles);
    JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
    provider.setJwtAuthenticationConverter(authentication);
    RequestAttributeSecurityContextRepository contexts = new RequestAttributeSecurityContextRepository();
    BearerTokenAuthenticationFilter bearer = new BearerTokenAuthenticationFilter(new ProviderManager(provider));
    bearer.setSecurityContextRepository(contexts);
    ExceptionTranslationFilter exceptions = new ExceptionTranslationFilter(new BearerTokenAuthenticationEntryPoint(),
        new NullRequestCache());
    exceptions.setAccessDeniedHandler(new BearerTokenAccessDeniedHandler());
    AuthorizationFilter authorization = new AuthorizationFilter(AuthorityAuthorizationManager.hasRole(role));
    FilterChainProxy chain = new FilterChainProxy(new DefaultSecurityFilterChain(AnyRequestMatcher.INSTANCE,
        List.of(new SecurityContextHolderFilter(contexts), bearer, exceptions, authorization)));
    chain.afterPropertiesSet();
    return chain;
  }

  /** A decoder of {@code algorithm} tokens signed by a key of {@code jwks}, from {@code issuer} for {@code audience}. */
  static JwtDecoder decoder(String jwks, JWSAlgorithm algorithm, String issuer, String audience) {
    DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    try {
      processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithm,
          new ImmutableJWKSet<>(JWKSet.parse(jwks))));
    } catch (ParseException e) {
      throw new IllegalArgumentException("not a JWK set", e);
    }
    // Spring's validators below check the type and the claims
    processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(new JOSEObjectType("at+jwt")));
    processor.setJWTClaimsSetVerifier((claims, context) -> { });
    NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(new JwtTypeValidator("at+jwt"),
        new JwtTimestampValidator(), new JwtIssuerValidator(issuer), new JwtAudienceValidator(audience)));
    return decoder;
  }
}
