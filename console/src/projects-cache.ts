import type { StoredProject } from '../../shared/domain/manage-projects';
import { api } from './api';

/** The projects, read once per page load (for names and filter lists); dropped after a project is saved. */
let cached: Promise<StoredProject[]> | undefined;

export function projects(): Promise<StoredProject[]> {
  cached ??= api<{ projects: StoredProject[] }>('GET', '/officer/projects').then(({ data }) => data.projects);
  cached.catch(() => {
    cached = undefined;
  });
  return cached;
}

export function forgetProjects(): void {
  cached = undefined;
}

export const projectName = (all: StoredProject[], id: string) =>
  all.find((project) => project.id === id)?.title ?? id;

export const projectChoices = (all: StoredProject[], anyLabel?: string) => [
  ...(anyLabel ? [{ value: '', text: anyLabel }] : []),
  ...all.map((project) => ({ value: project.id, text: project.title })),
];
