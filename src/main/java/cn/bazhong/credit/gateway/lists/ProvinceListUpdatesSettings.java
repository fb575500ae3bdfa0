package cn.bazhong.credit.gateway.lists;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The province's list updates ({@code gateway.province.list-updates.*}): pulled, and pushed ones checked.
 *
 * @param enabled          pull the province's list updates (GET {upstream base}/exchange/v1/list-updates)
 * @param interval         how often they are pulled (at least 100 ms)
 * @param cursorTopic      compacted topic holding the last applied cursor
 * @param sm2PublicKeyFile the province's SM2 public key (X.509 PEM): when set, pushed and pulled list updates are
 *                         taken in only with a good X-Signature-SM2 over their exact body; empty: not checked
 * @param sm2UserId        the user id of the province's SM2 signatures
 */
@Validated
@ConfigurationProperties(prefix = "gateway.province.list-updates")
public record ProvinceListUpdatesSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("30s") @NotNull @DurationMin(millis = 100) Duration interval,
        @DefaultValue("credit.province-cursor") @NotBlank String cursorTopic,
        @DefaultValue("") String sm2PublicKeyFile,
        @DefaultValue("1234567812345678") @NotBlank String sm2UserId) {
}
