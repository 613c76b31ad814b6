import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PATH_METADATA } from '@nestjs/common/constants.js';
import { loadConfig } from '../src/config/app-config.js';
import { HealthController } from '../src/modules/operations/health.controller.js';
import {
  type K8sObject,
  kubectlAvailable,
  parseYamlStream,
  renderWithKubectl,
  renderWithoutKubectl,
} from './support/kustomize.js';

/**
 * deploy/k8s without a cluster: both kustomizations render (kubectl where it exists, else the same objects
 * built from the YAML), every object passes the Kubernetes API schema, and the settings that must agree
 * with the app do: probe paths and port, drain time within the grace period, non-root, read-only root.
 */
const K8S = path.resolve('deploy/k8s');
const KUSTOMIZATIONS = ['base', 'overlays/production'];
const withKubectl = kubectlAvailable();

function render(dir: string): K8sObject[] {
  return withKubectl ? renderWithKubectl(path.join(K8S, dir)) : renderWithoutKubectl(path.join(K8S, dir));
}

const byKindAndName = (a: K8sObject, b: K8sObject) =>
  `${a.kind}/${a.metadata.name}`.localeCompare(`${b.kind}/${b.metadata.name}`);

/** The kubernetes-models class for an apiVersion + kind, whose validate() checks the object against the API schema. */
async function modelOf(object: K8sObject): Promise<new (data: unknown) => { validate(): void }> {
  const module = (await import(`kubernetes-models/${object.apiVersion}`)) as Record<string, unknown>;
  const model = module[object.kind];
  if (typeof model !== 'function') throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  return model as new (data: unknown) => { validate(): void };
}

async function validate(object: K8sObject): Promise<void> {
  const Model = await modelOf(object);
  new Model(object).validate();
}

type Container = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const find = (objects: K8sObject[], kind: string) => {
  const found = objects.find((o) => o.kind === kind);
  if (!found) throw new Error(`no ${kind} rendered`);
  return found as K8sObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
};

/** The route the app serves for a HealthController handler, from Nest's own route metadata. */
function healthRoute(handler: 'live' | 'ready'): string {
  const base = Reflect.getMetadata(PATH_METADATA, HealthController) as string;
  const sub = Reflect.getMetadata(PATH_METADATA, HealthController.prototype[handler]) as string;
  return `/${base}/${sub}`;
}

describe('deploy/k8s', () => {
  it.each(KUSTOMIZATIONS)('%s: every rendered object is valid against the Kubernetes API schema', async (dir) => {
    const objects = render(dir);
    expect(objects.map((o) => o.kind).sort()).toEqual(
      ['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'Job', 'PodDisruptionBudget', 'Service'].sort(),
    );
    for (const object of objects) await validate(object);
  });

  it('the validator does reject an invalid object (so the check above can fail)', async () => {
    const deployment = structuredClone(find(render('base'), 'Deployment'));
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    await expect(validate(deployment)).rejects.toThrow(/containerPort/);
    delete deployment.spec.selector;
    deployment.spec.template.spec.containers[0].ports[0].containerPort = 3000;
    await expect(validate(deployment)).rejects.toThrow(/selector/);
  });

  it('the Secret template is a valid Secret and not part of any kustomization', async () => {
    const [secret] = parseYamlStream(readFileSync(path.join(K8S, 'base/secret.template.yaml'), 'utf8'));
    await validate(secret);
    for (const dir of KUSTOMIZATIONS) expect(render(dir).some((o) => o.kind === 'Secret')).toBe(false);
  });

  (withKubectl ? it : it.skip).each(KUSTOMIZATIONS)(
    '%s: the renderer used without kubectl builds the same objects as kubectl kustomize',
    (dir) => {
      const real = renderWithKubectl(path.join(K8S, dir)).sort(byKindAndName);
      const ours = renderWithoutKubectl(path.join(K8S, dir)).sort(byKindAndName);
      expect(ours).toEqual(real);
    },
  );

  describe.each(KUSTOMIZATIONS)('%s agrees with the app', (dir) => {
    const objects = render(dir);
    const configMap = find(objects, 'ConfigMap');
    const [secret] = parseYamlStream(readFileSync(path.join(K8S, 'base/secret.template.yaml'), 'utf8'));
    // What a pod's process sees: the ConfigMap and the Secret's keys (envFrom). It must be a valid config.
    const config = loadConfig({ ...(configMap.data as Record<string, string>), ...(secret.stringData as object) });
    const deployment = find(objects, 'Deployment');
    const pod = deployment.spec.template.spec;
    const app: Container = pod.containers.find((c: Container) => c.name === 'app');
    const portNamed = (name: string | number) =>
      typeof name === 'number' ? name : app.ports.find((p: Container) => p.name === name).containerPort;

    it('runs in production mode, without migrating at start (the Job does)', () => {
      expect(config.env).toBe('production');
      expect(config.db.migrateOnStart).toBe(false);
      expect(app.envFrom).toEqual([
        { configMapRef: { name: configMap.metadata.name } },
        { secretRef: { name: secret.metadata.name } },
      ]);
    });

    it('probes the health routes the app serves, on the port it listens on', () => {
      expect(app.ports.map((p: Container) => p.containerPort)).toEqual([config.port]);
      expect(app.livenessProbe.httpGet.path).toBe(healthRoute('live'));
      expect(app.startupProbe.httpGet.path).toBe(healthRoute('live'));
      expect(app.readinessProbe.httpGet.path).toBe(healthRoute('ready'));
      for (const probe of [app.livenessProbe, app.startupProbe, app.readinessProbe]) {
        expect(portNamed(probe.httpGet.port)).toBe(config.port);
      }
      const service = find(objects, 'Service');
      expect(portNamed(service.spec.ports[0].targetPort)).toBe(config.port);
      expect(service.spec.selector).toEqual(deployment.spec.selector.matchLabels);
    });

    it('gives the drain (preStop sleep + SHUTDOWN_GRACE_MS) time to finish before SIGKILL', () => {
      const [command, seconds] = app.lifecycle.preStop.exec.command as string[];
      expect(command).toBe('sleep');
      const drainSeconds = Number(seconds) + config.shutdownGraceMs / 1000;
      expect(pod.terminationGracePeriodSeconds).toBeGreaterThan(drainSeconds);
    });

    it('runs as non-root on a read-only root filesystem, /tmp excepted', () => {
      const job = find(objects, 'Job');
      for (const spec of [pod, job.spec.template.spec]) {
        expect(spec.securityContext.runAsNonRoot).toBe(true);
        expect(spec.securityContext.runAsUser).toBeGreaterThan(0);
        for (const container of spec.containers as Container[]) {
          expect(container.securityContext).toMatchObject({
            readOnlyRootFilesystem: true,
            allowPrivilegeEscalation: false,
            capabilities: { drop: ['ALL'] },
          });
          expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
        }
      }
      // The image itself drops root too (the Deployment's runAsUser 1000 is its `node` user).
      expect(readFileSync('Dockerfile', 'utf8')).toMatch(/^USER node$/m);
    });

    it('migrates with the built image: the TypeORM CLI on dist/, no dev dependency', () => {
      const job = find(objects, 'Job');
      const [migrate] = job.spec.template.spec.containers as Container[];
      expect(migrate.image).toBe(app.image);
      expect(migrate.command).toEqual([
        'node',
        'node_modules/typeorm/cli.js',
        'migration:run',
        '-d',
        'dist/src/data-source.js',
      ]);
      const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string> };
      expect(pkg.dependencies.typeorm).toBeDefined();
      expect(job.spec.template.spec.restartPolicy).toBe('Never');
    });

    it('scales on CPU with requests set, and keeps pods available through disruptions', () => {
      const hpa = find(objects, 'HorizontalPodAutoscaler');
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'mainspring' });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.metrics[0].resource.name).toBe('cpu');
      expect(app.resources.requests.cpu).toBeDefined(); // utilization is relative to the request
      expect(app.resources.limits.memory).toBeDefined();
      expect(deployment.spec.replicas).toBeGreaterThanOrEqual(2);
      const pdb = find(objects, 'PodDisruptionBudget');
      expect(pdb.spec.selector).toEqual(deployment.spec.selector);
      expect(pdb.spec.maxUnavailable).toBe(1);
    });
  });
});
