import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';

/** A Kubernetes object as rendered: apiVersion, kind, metadata and the rest, untyped. */
export type K8sObject = Record<string, unknown> & {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string } & Record<string, unknown>;
};

export function kubectlAvailable(): boolean {
  return spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
}

/** `kubectl kustomize <dir>`: the real renderer. */
export function renderWithKubectl(dir: string): K8sObject[] {
  return parseYamlStream(execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8' }));
}

export function parseYamlStream(text: string): K8sObject[] {
  return parseAllDocuments(text)
    .map((doc) => doc.toJS() as K8sObject | null)
    .filter((doc): doc is K8sObject => doc !== null);
}

interface Kustomization {
  resources?: string[];
  namespace?: string;
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { path: string }[];
}

/**
 * The same objects `kubectl kustomize` renders, for machines without kubectl. It understands only what
 * deploy/k8s uses — `resources` (files and directories), `namespace`, `images`, and strategic-merge
 * `patches` from files (lists of objects merge by `name`, like containers and env) — and refuses the rest,
 * so a richer overlay fails here instead of being rendered wrongly. Where kubectl exists the test checks that
 * both renderings agree.
 */
export function renderWithoutKubectl(dir: string): K8sObject[] {
  const file = path.join(dir, 'kustomization.yaml');
  const kustomization = parseYamlStream(readFileSync(file, 'utf8'))[0] as unknown as Kustomization;
  const known = new Set(['apiVersion', 'kind', 'resources', 'namespace', 'images', 'patches']);
  const unknown = Object.keys(kustomization).filter((key) => !known.has(key));
  if (unknown.length > 0) throw new Error(`${file}: unsupported without kubectl: ${unknown.join(', ')}`);

  let objects: K8sObject[] = [];
  for (const resource of kustomization.resources ?? []) {
    const target = path.join(dir, resource);
    objects.push(
      ...(statSync(target).isDirectory()
        ? renderWithoutKubectl(target)
        : parseYamlStream(readFileSync(target, 'utf8'))),
    );
  }
  for (const patch of kustomization.patches ?? []) {
    for (const change of parseYamlStream(readFileSync(path.join(dir, patch.path), 'utf8'))) {
      const index = objects.findIndex((o) => o.kind === change.kind && o.metadata.name === change.metadata.name);
      if (index < 0) throw new Error(`patch ${patch.path}: no ${change.kind}/${change.metadata.name} to patch`);
      objects[index] = strategicMerge(objects[index], change) as K8sObject;
    }
  }
  if (kustomization.namespace) {
    const namespace = kustomization.namespace;
    objects = objects.map((o) => ({ ...o, metadata: { ...o.metadata, namespace } }));
  }
  for (const image of kustomization.images ?? []) objects.forEach((o) => retag(o, image));
  return objects;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strategicMerge(base: unknown, patch: unknown): unknown {
  if (isMap(base) && isMap(patch)) {
    const merged: Record<string, unknown> = { ...base };
    for (const [key, value] of Object.entries(patch)) merged[key] = strategicMerge(base[key], value);
    return merged;
  }
  const named = (list: unknown[]) => list.every((item) => isMap(item) && typeof item.name === 'string');
  if (Array.isArray(base) && Array.isArray(patch) && named(base) && named(patch)) {
    const merged = [...base] as Record<string, unknown>[];
    for (const item of patch as Record<string, unknown>[]) {
      const index = merged.findIndex((existing) => existing.name === item.name);
      if (index < 0) merged.push(item);
      else merged[index] = strategicMerge(merged[index], item) as Record<string, unknown>;
    }
    return merged;
  }
  return patch;
}

/** kustomize's `images`: every container whose image is `name` (with or without a tag) gets the new one. */
function retag(node: unknown, image: NonNullable<Kustomization['images']>[number]): void {
  if (Array.isArray(node)) return node.forEach((item) => retag(item, image));
  if (!isMap(node)) return;
  if (typeof node.image === 'string') {
    const [name, tag] = node.image.split(':');
    if (name === image.name) node.image = `${image.newName ?? name}:${image.newTag ?? tag}`;
  }
  Object.values(node).forEach((value) => retag(value, image));
}
