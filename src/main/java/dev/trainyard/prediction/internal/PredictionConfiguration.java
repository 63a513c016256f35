package dev.trainyard.prediction.internal;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PredictionProperties.class)
class PredictionConfiguration {

}
