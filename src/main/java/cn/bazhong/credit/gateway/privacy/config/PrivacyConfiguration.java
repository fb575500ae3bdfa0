package cn.bazhong.credit.gateway.privacy.config;

import cn.bazhong.credit.gateway.crypto.FieldCipher;
import cn.bazhong.credit.gateway.privacy.PersonalFields;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Spring beans of {@code privacy} (as {@code crypto.config} is crypto's), kept out of crypto so that crypto never depends on privacy. */
@Configuration
public class PrivacyConfiguration {

    /**
     * The sealing of personal fields in stored records: under the field cipher when encryption is on, a
     * pass-through otherwise (which the production profile refuses).
     */
    @Bean
    PersonalFields personalFields(ObjectProvider<FieldCipher> fieldCipher) {
        return new PersonalFields(fieldCipher.getIfAvailable());
    }
}
