import type { Project, Timeframes } from './project';

/** What the public may know of a project: enough for a form to promise a reply date. */
export interface PublicProject {
  id: string;
  title: string;
  serviceArea: string;
  description?: string;
  timeframes: Timeframes;
}

export function publicViewOf(project: Project): PublicProject {
  const { id, title, serviceArea, description, timeframes } = project;
  return description === undefined
    ? { id, title, serviceArea, timeframes }
    : { id, title, serviceArea, description, timeframes };
}
