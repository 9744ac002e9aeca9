package io.cutover.cli.deploy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * deploy/aws-batch/ against the AWS Batch API model, as the AWS CLI checks its input before sending it: botocore's
 * parameter validator on the RegisterJobDefinition and SubmitJob input shapes (Debian's python3-botocore).
 */
class AwsBatchApiModelTest {
    private static final String PYTHON = "/usr/bin/python3";
    private static final String VALIDATE = """
            import json, sys, botocore.session
            from botocore.validate import ParamValidator
            model = botocore.session.get_session().get_service_model('batch')
            report = ParamValidator().validate(json.load(open(sys.argv[2])), model.operation_model(sys.argv[1]).input_shape)
            print(report.generate_report() if report.has_errors() else 'valid')
            """;

    @BeforeAll
    static void botocoreIsThere() throws Exception {
        boolean present = Files.isExecutable(Path.of(PYTHON)) && python("import botocore").exit() == 0;
        assumeTrue(present, "Debian's python3-botocore is not installed (apt-get install python3-botocore): "
                + "the AWS Batch files were not checked against the AWS API model");
    }

    @Test
    void jobDefinitionIsAValidRegisterJobDefinitionInput() throws Exception {
        assertThat(validate("RegisterJobDefinition", DeployFiles.DIR.resolve("aws-batch/job-definition.json")).lastLine()).isEqualTo("valid");
    }

    @Test
    void submissionIsAValidSubmitJobInput() throws Exception {
        assertThat(validate("SubmitJob", DeployFiles.DIR.resolve("aws-batch/submit-job.json")).lastLine()).isEqualTo("valid");
    }

    @Test
    void misspelledFieldIsRejected(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(DeployFiles.DIR.resolve("aws-batch/submit-job.json")).replace("arrayProperties", "arrayProperty"));
        assertThat(validate("SubmitJob", bad).output()).contains("Unknown parameter in input: \"arrayProperty\"");
    }

    record Result(int exit, String output) {
        String lastLine() {
            String[] lines = output.strip().split("\n");
            return lines[lines.length - 1];
        }
    }

    private static Result validate(String operation, Path file) throws Exception {
        Result r = run(PYTHON, "-c", VALIDATE, operation, file.toString());
        assertThat(r.exit()).as(r.output()).isZero();
        return r;
    }

    private static Result python(String code) throws Exception {
        return run(PYTHON, "-c", code);
    }

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        return new Result(p.exitValue(), out);
    }
}
