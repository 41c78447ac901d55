// The dependency-free build of bottleneck, the same one @octokit/plugin-throttling uses; the package ships
// types for its main entry only, and both entries have the same API.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}
