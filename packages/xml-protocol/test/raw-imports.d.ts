// Vite (and so vitest) loads any file as a string with the `?raw` suffix; this tells tsc.
declare module '*?raw' {
  const content: string;
  export default content;
}
