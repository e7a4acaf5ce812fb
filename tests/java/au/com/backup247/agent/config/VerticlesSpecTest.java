package au.com.backup247.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class VerticlesSpecTest {

  @Test
  void repositoryVerticlesJson_parses_andEveryClassOfEveryRoleExists() throws Exception {
    String text = Files.readString(Path.of("verticles.json"));
    VerticlesSpec spec = VerticlesSpec.parse(text, "verticles.json");
    assertTrue(spec.roles().containsKey("all"));
    spec.roles().forEach((role, entries) -> entries.forEach(e -> VerticlesSpec.verticleClass(e, role)));
    List<String> names = spec.role("all").stream().map(VerticlesSpec.Entry::name).toList();
    assertEquals(List.of("catalog", "sets", "jobs", "reports", "scheduler", "system", "auth", "metrics", "api"), names);
    assertEquals(java.util.Set.copyOf(VerticlesSpec.STAGES), spec.pipeline().keySet());
    spec.pipeline().values().forEach(e -> VerticlesSpec.verticleClass(e, "pipeline"));
    assertEquals(VerticlesSpec.Entry.JOB_THREADS, spec.pipeline().get("chunk").instances());
    assertEquals(5, spec.pipeline().get("chunk").instances(5));
    assertEquals(ThreadingModel.WORKER, spec.pipeline().get("seal").threading());
  }

  @Test
  void pipelineOf_isParsedOnce_andAJobChangingItsConfigChangesNoOtherJobs() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      Map<String, VerticlesSpec.Entry> embedded = VerticlesSpec.pipelineOf(vertx);
      assertSame(embedded, VerticlesSpec.pipelineOf(vertx), "the embedded plan is parsed once");
      VerticlesSpec spec = VerticlesSpec.parse(Files.readString(Path.of("verticles.json")), "verticles.json");
      VerticlesSpec.install(vertx, spec);
      Map<String, VerticlesSpec.Entry> installed = VerticlesSpec.pipelineOf(vertx);
      assertSame(installed, VerticlesSpec.pipelineOf(vertx), "the installed plan is kept as parsed");
      assertEquals(spec.pipeline(), installed);
      int window = installed.get("seal").config().getInteger("window");
      installed.get("seal").config().put("window", window + 1);
      assertEquals(window, VerticlesSpec.pipelineOf(vertx).get("seal").config().getInteger("window"));
    } finally {
      vertx.close().await();
    }
  }

  @Test
  void pipeline_refusesASecondScanInstance_andAMissingStage() {
    String stages = "{\"name\":\"upload\",\"class\":\"a.U\"},{\"name\":\"seal\",\"class\":\"a.S\"},"
        + "{\"name\":\"chunk\",\"class\":\"a.C\",\"instances\":\"threads\"}";
    ConfigException two = assertThrows(ConfigException.class, () -> VerticlesSpec.parse("{\"roles\":{},\"pipeline\":["
        + stages + ",{\"name\":\"scan\",\"class\":\"a.W\",\"instances\":2}]}", "v.json"));
    assertEquals("v.json: pipeline[3]: the scan stage must have 1 instance (it is one stream)", two.getMessage());
    ConfigException missing = assertThrows(ConfigException.class, () -> VerticlesSpec.parse("{\"roles\":{},"
        + "\"pipeline\":[" + stages + "]}", "v.json"));
    assertEquals("v.json: pipeline: stage \"scan\" is missing", missing.getMessage());
  }

  @Test
  void entryFields_areRead() {
    VerticlesSpec spec = VerticlesSpec.parse("{\"roles\":{\"worker\":[{\"name\":\"w\",\"class\":\"a.B\","
        + "\"instances\":3,\"threading\":\"WORKER\",\"config\":{\"x\":1}}]}}", "v.json");
    VerticlesSpec.Entry e = spec.role("worker").get(0);
    assertEquals("w", e.name());
    assertEquals("a.B", e.className());
    assertEquals(3, e.instances());
    assertEquals(ThreadingModel.WORKER, e.threading());
    assertEquals(1, e.config().getInteger("x"));
  }

  @Test
  void badJson_givesOneLineNamingTheFile() {
    ConfigException e = assertThrows(ConfigException.class, () -> VerticlesSpec.parse("{\"roles\": [", "v.json"));
    assertTrue(e.getMessage().startsWith("v.json: not valid JSON"), e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  @Test
  void unknownClass_namesRoleEntryAndClass() {
    VerticlesSpec spec = VerticlesSpec.parse("{\"roles\":{\"all\":[{\"name\":\"api\",\"class\":\"no.such.Verticle\"}]}}",
        "v.json");
    ConfigException e = assertThrows(ConfigException.class,
        () -> VerticlesSpec.verticleClass(spec.role("all").get(0), "all"));
    assertEquals("verticles.json: roles.all entry \"api\": class no.such.Verticle not found", e.getMessage());
  }

  @Test
  void classThatIsNotAVerticle_isRefused() {
    VerticlesSpec spec = VerticlesSpec.parse("{\"roles\":{\"all\":[{\"name\":\"s\",\"class\":\"java.lang.String\"}]}}",
        "v.json");
    ConfigException e = assertThrows(ConfigException.class,
        () -> VerticlesSpec.verticleClass(spec.role("all").get(0), "all"));
    assertTrue(e.getMessage().endsWith("class java.lang.String is not a verticle"), e.getMessage());
  }

  @Test
  void badThreadingModel_namesTheEntry() {
    ConfigException e = assertThrows(ConfigException.class, () -> VerticlesSpec.parse(
        "{\"roles\":{\"all\":[{\"class\":\"a.B\",\"threading\":\"FAST\"}]}}", "v.json"));
    assertTrue(e.getMessage().startsWith("v.json: roles.all[0]: threading must be one of"), e.getMessage());
  }

  @Test
  void missingRole_listsKnownRoles() {
    VerticlesSpec spec = VerticlesSpec.parse("{\"roles\":{\"all\":[],\"api\":[]}}", "v.json");
    ConfigException e = assertThrows(ConfigException.class, () -> spec.role("worker"));
    assertEquals("verticles.json: no role \"worker\"; known roles: all, api", e.getMessage());
  }

  @Test
  void missingClass_isReported() {
    ConfigException e = assertThrows(ConfigException.class,
        () -> VerticlesSpec.parse("{\"roles\":{\"all\":[{\"name\":\"x\"}]}}", "v.json"));
    assertEquals("v.json: roles.all[0]: \"class\" is missing", e.getMessage());
  }
}
