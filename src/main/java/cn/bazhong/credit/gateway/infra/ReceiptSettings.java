package cn.bazhong.credit.gateway.infra;

import jakarta.validation.constraints.NotNull;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

import java.time.Duration;

/**
 * The receipts ({@code gateway.receipts.*}): bound here, below the collection, because the receipts topic is
 * created with the gateway's other topics.
 *
 * @param retention how long a receipt stays answerable and counts in the supervision report (the receipts topic
 *                  keeps the latest of each receipt that long)
 */
@Validated
@ConfigurationProperties(prefix = "gateway.receipts")
public record ReceiptSettings(@DefaultValue("90d") @NotNull @DurationMin(minutes = 1) Duration retention) {
}
