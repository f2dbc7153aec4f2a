/**
 * Jest's resolver, with one addition: a package whose `exports` offer only an `import` condition
 * (unicorn-magic, under execa) cannot be found by `require`, so it is looked up once more with that
 * condition. ts-jest then compiles it to CommonJS (jest.config.js lets it transform execa's tree).
 */
module.exports = (request, options) => {
  try {
    return options.defaultResolver(request, options);
  } catch (error) {
    try {
      return options.defaultResolver(request, { ...options, conditions: [...(options.conditions ?? []), "import"] });
    } catch {
      throw error;
    }
  }
};
