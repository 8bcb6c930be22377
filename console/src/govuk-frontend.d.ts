// GOV.UK Frontend ships no type declarations; these are the parts the console uses.
declare module 'govuk-frontend' {
  class Component {
    constructor(root: Element, config?: Record<string, unknown>);
  }
  export class CharacterCount extends Component {}
  export class ErrorSummary extends Component {}
  export class NotificationBanner extends Component {}
  export class Radios extends Component {}
  export class ServiceNavigation extends Component {}
}
