// Errors that reach a person carry a stable code and a message they can act on.
export class AppError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 500,
  ) {
    super(message)
    this.name = 'AppError'
  }
}
