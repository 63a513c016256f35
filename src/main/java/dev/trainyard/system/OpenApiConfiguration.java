package dev.trainyard.system;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The head of the OpenAPI document; the paths come from the modules' controllers. Swagger
 * UI is at {@code /swagger-ui.html}, the document at {@code /v3/api-docs}.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    static final String DESCRIPTION = """
            Trainyard trains neural networks as a service. Upload a dataset, submit a training job \
            (a network of dense, convolutional, pooling, normalization and dropout layers with an \
            optimizer and a schedule), follow its progress, and use the trained model or an ensemble \
            of models for predictions, or export it.

            All endpoints live under `/api/v1`, speak JSON and answer errors as RFC 9457 problem \
            details (`application/problem+json`).""";

    @Bean
    OpenAPI trainyardOpenApi() {
        return new OpenAPI().info(new Info().title("Trainyard API").version("v1").description(DESCRIPTION));
    }

}
