import type { ConsoleConfig } from '../security-headers';
import { ProblemError, SessionEndedError, useApi } from './api';
import type { Context, Screen, ScreenFunction } from './app';
import {
  currentSession,
  finishSignIn,
  isAdmin,
  type Session,
  signInAgainInWindow,
  signOut,
  startSignIn,
} from './auth';
import { h } from './dom';
import { button, heading, notificationBanner, paragraph, startComponents, tag } from './govuk';
import { BASE, href, parseRoute, type Route, sectionOf } from './routes';
import { eventScreen, eventsScreen, newEventScreen } from './screens/events';
import { feedbackScreen, triageScreen } from './screens/feedback';
import { newProjectScreen, projectScreen, projectsScreen } from './screens/projects';
import { reportScreen } from './screens/report';
import { newUpdateScreen, updateScreen, updatesScreen } from './screens/updates';

/**
 * The officer console: a single-page app on GOV.UK Frontend. Every /console address serves the
 * same shell; this module reads the address, makes sure the officer is signed in (see auth.ts),
 * and draws the screen, moving focus to its heading and announcing it, as a page load would.
 */
const SCREENS: Partial<Record<Route['screen'], ScreenFunction>> = {
  triage: triageScreen,
  feedback: feedbackScreen,
  projects: projectsScreen,
  project: projectScreen,
  'new-project': newProjectScreen,
  events: eventsScreen,
  event: eventScreen,
  'new-event': newEventScreen,
  updates: updatesScreen,
  update: updateScreen,
  'new-update': newUpdateScreen,
  report: reportScreen,
};

const NAVIGATION = [
  ['feedback', 'Feedback', '/feedback'],
  ['updates', 'You said, we did', '/updates'],
  ['events', 'Events', '/events'],
  ['projects', 'Projects', '/projects'],
  ['report', 'Annual report', '/reports'],
] as const;

const SERVICE = 'Officer console';

let config: ConsoleConfig;
let app: HTMLElement;
let main: HTMLElement;
let status: HTMLElement;
let drawn = 0;
let firstDraw = true;
/** Set once signed in: a missing token from then on means the session ended, not "never signed in". */
let signedInOnce = false;

function announce(message: string) {
  // Cleared first, so the same words twice are announced twice.
  status.textContent = '';
  setTimeout(() => {
    status.textContent = message;
  }, 50);
}

function chrome(route: Route, session: Session | undefined) {
  const section = sectionOf(route);
  const newMain = h('main', { class: 'govuk-main-wrapper', id: 'main-content' });
  main = newMain;
  const navigation = session
    ? h(
        'nav',
        { 'aria-label': 'Menu', class: 'govuk-service-navigation__wrapper' },
        h(
          'button',
          {
            type: 'button',
            class: 'govuk-service-navigation__toggle govuk-js-service-navigation-toggle',
            'aria-controls': 'navigation',
            hidden: true,
          },
          'Menu',
        ),
        h(
          'ul',
          { class: 'govuk-service-navigation__list', id: 'navigation' },
          NAVIGATION.map(([name, text, path]) =>
            h(
              'li',
              {
                class: `govuk-service-navigation__item${section === name ? ' govuk-service-navigation__item--active' : ''}`,
              },
              h(
                'a',
                {
                  class: 'govuk-service-navigation__link',
                  href: href(path),
                  'aria-current': section === name ? 'true' : undefined,
                },
                section === name
                  ? h('strong', { class: 'govuk-service-navigation__active-fallback' }, text)
                  : text,
              ),
            ),
          ),
          h(
            'li',
            { class: 'govuk-service-navigation__item' },
            h(
              'a',
              { class: 'govuk-service-navigation__link', href: href('/sign-out'), 'data-sign-out': true },
              'Sign out',
            ),
          ),
        ),
      )
    : null;
  return [
    h(
      'header',
      { class: 'govuk-template__header' },
      h(
        'div',
        { class: 'govuk-generic-header' },
        h(
          'div',
          { class: 'govuk-generic-header__container govuk-width-container' },
          h(
            'div',
            { class: 'govuk-generic-header__logo' },
            h('a', { href: BASE, class: 'govuk-generic-header__homepage-link' }, 'You said, we did'),
          ),
        ),
      ),
      h(
        'section',
        {
          'aria-label': 'Service information',
          class: 'govuk-service-navigation',
          'data-module': 'govuk-service-navigation',
        },
        h(
          'div',
          { class: 'govuk-width-container' },
          h(
            'div',
            { class: 'govuk-service-navigation__container' },
            h(
              'span',
              { class: 'govuk-service-navigation__service-name' },
              h('a', { href: BASE, class: 'govuk-service-navigation__link' }, SERVICE),
            ),
            navigation,
          ),
        ),
      ),
    ),
    h(
      'div',
      { class: 'govuk-width-container' },
      config.environment === 'local'
        ? h(
            'div',
            { class: 'govuk-phase-banner' },
            h(
              'p',
              { class: 'govuk-phase-banner__content' },
              tag('Local', 'orange'),
              h(
                'span',
                { class: 'govuk-phase-banner__text' },
                'Local development: sign-in is a stand-in for Cognito, not for real use.',
              ),
            ),
          )
        : null,
      session
        ? h(
            'p',
            { class: 'app-signed-in' },
            'Signed in as ',
            h('strong', {}, session.name),
            isAdmin(session) ? ' (admin)' : ' (officer)',
          )
        : null,
      newMain,
    ),
    h(
      'footer',
      { class: 'govuk-footer' },
      h(
        'div',
        { class: 'govuk-width-container' },
        h(
          'p',
          { class: 'govuk-footer__meta govuk-body-s' },
          'You said, we did: the officer console. Families’ words and contact details shown here are for officers handling them only.',
        ),
      ),
    ),
  ];
}

/** Draws a page that is not a screen of data (signed out, session ended, errors). */
function page(route: Route, session: Session | undefined, title: string, ...content: (Node | null)[]) {
  app.replaceChildren(...chrome(route, session));
  main.replaceChildren(...content.filter((node): node is Node => node !== null));
  startComponents(app);
  document.title = `${title} – ${SERVICE}`;
  focusHeading();
}

function focusHeading() {
  if (firstDraw) {
    firstDraw = false;
    return;
  }
  // GOV.UK's error summary and alert banners take focus themselves; otherwise the heading does.
  if (main.contains(document.activeElement) && document.activeElement !== main) return;
  main.querySelector<HTMLElement>('#page-heading')?.focus();
}

function sessionEnded() {
  const route = parseRoute(location.pathname, location.search);
  const signIn = button('Sign in again', {
    onclick: (event: Event) => {
      event.preventDefault();
      signInAgainInWindow(config)
        .then((opened) => {
          if (opened) render('You are signed in again. Anything you had typed is still there.');
          else void startSignIn(config, `${location.pathname}${location.search}`);
        })
        .catch((error: Error) => announce(error.message));
    },
  });
  signIn.setAttribute('type', 'button');
  page(
    route,
    undefined,
    'Your session has ended',
    heading('Your session has ended — sign in again'),
    paragraph(
      'For your security, you are signed out after a while. Sign in again to carry on where you were.',
    ),
    paragraph(
      'Anything you had typed on this page is kept until you sign in again, as long as you do not reload or close this tab. Sign-in opens in a new window.',
    ),
    signIn,
  );
}

function conflict(what: string) {
  const reload = button('Reload', { type: 'button', onclick: () => render() });
  const banner = notificationBanner(
    h(
      'div',
      {},
      h(
        'h3',
        { class: 'govuk-notification-banner__heading' },
        `Someone else changed ${what} after you opened it`,
      ),
      h(
        'p',
        { class: 'govuk-body' },
        'Your change was not saved, so theirs is not lost. Reload to see their change; what you typed stays in the form, so you can check it and try again.',
      ),
      reload,
    ),
  );
  main.querySelector('.govuk-notification-banner')?.remove();
  main.prepend(banner);
  startComponents(banner);
  document.title = `Someone else changed ${what} – ${SERVICE}`;
  announce(`Someone else changed ${what}. Reload to see their change.`);
}

function problemPage(route: Route, session: Session, error: unknown) {
  if (error instanceof ProblemError && error.status === 404) {
    return page(
      route,
      session,
      'Page not found',
      heading('Page not found'),
      paragraph(error.problem.detail ?? 'There is nothing at this address. Check the reference or link.'),
      paragraph(h('a', { class: 'govuk-link', href: href('/feedback') }, 'Go to the feedback list')),
    );
  }
  if (error instanceof ProblemError && error.status === 403) {
    return page(
      route,
      session,
      'You cannot do this',
      heading('You cannot do this'),
      paragraph(error.problem.detail ?? 'Your account does not allow this. Ask an admin if you need it.'),
    );
  }
  const retry = error instanceof ProblemError && (error.status === 0 || error.status >= 500);
  page(
    route,
    session,
    'Sorry, there is a problem with the service',
    heading('Sorry, there is a problem with the service'),
    paragraph(retry ? 'Try again later.' : (error as Error).message),
    retry ? button('Try again', { type: 'button', onclick: () => render() }) : null,
  );
}

const context = (route: Route, session: Session): Context => ({
  config,
  route,
  session,
  get main() {
    return main;
  },
  navigate,
  reload: (flash) => render(flash),
  sessionEnded,
  conflict,
  announce,
});

async function render(flash?: string) {
  const route = parseRoute(location.pathname, location.search);
  const draw = ++drawn;
  if (route.screen === 'callback') return callback();
  if (route.screen === 'signed-out') {
    const signIn = button('Sign in', { type: 'button', onclick: () => void startSignIn(config, BASE) });
    return page(
      route,
      undefined,
      'You have signed out',
      heading('You have signed out'),
      paragraph('You need to sign in again to use the officer console.'),
      signIn,
    );
  }
  const session = currentSession();
  if (!session) {
    if (signedInOnce) return sessionEnded();
    page(
      route,
      undefined,
      'Signing in',
      heading('Signing you in'),
      paragraph('Taking you to the sign-in page…'),
    );
    return startSignIn(config, `${location.pathname}${location.search}`);
  }
  if (route.screen === 'sign-out') return signOut(config);
  const screen = SCREENS[route.screen];
  if (!screen)
    return page(
      route,
      session,
      'Page not found',
      heading('Page not found'),
      paragraph('There is nothing at this address.'),
    );
  announce('Loading');
  let drawnScreen: Screen;
  try {
    drawnScreen = await screen(context(route, session));
  } catch (error) {
    if (draw !== drawn) return;
    if (error instanceof SessionEndedError) return sessionEnded();
    return problemPage(route, session, error);
  }
  // A later navigation started while this one was loading: it draws instead.
  if (draw !== drawn) return;
  app.replaceChildren(...chrome(route, session));
  const content = h('div', {}, drawnScreen.content);
  main.replaceChildren(
    ...(flash
      ? [notificationBanner(h('h3', { class: 'govuk-notification-banner__heading' }, flash), 'success')]
      : []),
    ...content.childNodes,
  );
  document.title = `${drawnScreen.title} – ${SERVICE}`;
  startComponents(app);
  focusHeading();
  announce(flash ?? `${drawnScreen.title} page`);
}

function navigate(path: string, flash?: string) {
  if (`${location.pathname}${location.search}` !== path) history.pushState(null, '', path);
  void render(flash);
}

async function callback() {
  page({ screen: 'callback' }, undefined, 'Signing in', heading('Signing you in'));
  const result = await finishSignIn(config);
  if ('inWindow' in result) {
    page(
      { screen: 'callback' },
      undefined,
      'Signed in',
      heading('You are signed in again'),
      paragraph('You can close this window and carry on in the console.'),
    );
    window.close();
    return;
  }
  if ('error' in result) {
    const again = button('Sign in', { type: 'button', onclick: () => void startSignIn(config, BASE) });
    return page(
      { screen: 'callback' },
      undefined,
      'Sign-in did not work',
      heading('Sign-in did not work'),
      paragraph(result.error),
      again,
    );
  }
  signedInOnce = true;
  history.replaceState(null, '', result.returnTo);
  await render();
}

/** Links within the console move without a page load (history API); others behave as links do. */
function followLinks(event: MouseEvent) {
  if (
    event.defaultPrevented ||
    event.button !== 0 ||
    event.metaKey ||
    event.ctrlKey ||
    event.shiftKey ||
    event.altKey
  )
    return;
  const anchor = (event.target as Element | null)?.closest('a');
  if (!anchor || anchor.target || anchor.hasAttribute('download')) return;
  const url = new URL(anchor.href, location.href);
  if (url.origin !== location.origin || !(url.pathname === BASE || url.pathname.startsWith(`${BASE}/`)))
    return;
  if (url.hash && url.pathname === location.pathname && url.search === location.search) return;
  event.preventDefault();
  navigate(`${url.pathname}${url.search}`);
}

async function start() {
  document.body.classList.add('js-enabled', 'govuk-frontend-supported');
  app = document.getElementById('app') as HTMLElement;
  // One live region for the page's life: one added along with new content is often not announced.
  status = h('div', { class: 'govuk-visually-hidden', 'aria-live': 'polite', id: 'status' });
  document.body.append(status);
  const response = await fetch(`${BASE}/config.json`, { cache: 'no-store' });
  config = (await response.json()) as ConsoleConfig;
  useApi(config);
  document.addEventListener('click', followLinks);
  window.addEventListener('popstate', () => void render());
  await render();
}

void start();
