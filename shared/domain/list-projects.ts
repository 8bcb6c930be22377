import type { ProjectRepository } from './project';
import { type PublicProject, publicViewOf } from './public-project';

export interface ListProjectsDeps {
  projects: ProjectRepository;
}

/** The projects a family can send feedback to: active ones only, without internal fields. */
export async function listPublicProjects(deps: ListProjectsDeps): Promise<PublicProject[]> {
  const projects = await deps.projects.list();
  return projects.filter((project) => project.active).map(publicViewOf);
}
