// Types of bench/screens.js for the tests that import it (the bench itself is plain JavaScript run by node).
export declare const showsPodTable: (screen: string) => boolean;
export declare const showsCrashLoop: (screen: string) => boolean;
export declare const showsCompleteList: (screen: string) => boolean;
export declare function selectedPod(screen: string): string | undefined;
export declare const showsK9sPods: (screen: string) => boolean;
export declare const showsK9sCrashLoop: (screen: string) => boolean;
export declare const showsKubectlPods: (screen: string) => boolean;
